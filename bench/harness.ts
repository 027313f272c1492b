// The benchmark machinery: one emulator with GitHub's latency and limits on a time scale, and the
// five steps (create all, no-op up, one value changed, refresh, destroy) measured the same way for
// the provider (a real Pulumi program through the real Pulumi CLI) and for the baseline clients.
import { startEmulator, type Emulator } from "../tools/github-emulator";
import {
  createWorkspace,
  defaultParallel,
  exportStack,
  removeWorkspace,
  withPreview,
} from "../tools/pulumi-cli/deployments";
import type { ExportedStack } from "../tools/demo/proof";
import { observe, type Observation } from "./monitor";
import {
  benchValue,
  BenchProgram,
  ORG_SECRET,
  scopeOf,
  secretName,
} from "./program";

export const STEPS = [
  "create",
  "noop",
  "change",
  "refresh",
  "destroy",
] as const;
export type StepName = (typeof STEPS)[number];

export const STEP_LABELS: Record<StepName, string> = {
  create: "create all",
  noop: "no-op up",
  change: "one value changed",
  refresh: "refresh",
  destroy: "destroy",
};

export interface BenchSettings {
  /**
   * Emulated milliseconds per real millisecond: 60 makes GitHub's minute last one second; 1 is
   * GitHub's real clock. The emulator's limits and the provider's pacing
   * (PULUMI_GITHUB_SECRETS_TIME_SCALE) run on it.
   */
  timeScale: number;
  /** Added to every request by the emulator, real (not scaled) milliseconds. */
  latencyMs: number;
}

export const DEFAULT_SETTINGS: BenchSettings = { timeScale: 60, latencyMs: 30 };

/** GitHub's secondary limit, as the emulator enforces it. */
export const POINTS_PER_MINUTE = 900;
export const WRITE_POINTS = 5;
/** What of it the provider spends in any minute (provider/traffic.ts: 95%). */
export const PACED_POINTS_PER_MINUTE = POINTS_PER_MINUTE * 0.95;

export interface StepFigures {
  requests: number;
  byMethod: Record<string, number>;
  /** "METHOD /route/{template}" → count, as the emulator matched them. */
  byRoute: Record<string, number>;
  /** Answers 403/429 from the emulated primary or secondary rate limit. */
  limited: number;
  /** Points the admitted requests cost against the secondary limit (read 1, write 5). */
  points: number;
  wallMs: number;
  /** From the first request's arrival to the last response. */
  trafficMs: number;
  /** Provider host only: VmHWM in kB. */
  hostPeakRssKb?: number;
  /** Not run (a scenario that measures create only); every figure is 0. */
  skipped?: true;
}

/** Measures a step that follows create, or, in a create-only scenario, skips it. */
export function stepAfterCreate(
  bench: BenchEmulator,
  options: ScenarioOptions,
  run: () => Promise<void>,
): Promise<StepFigures> {
  return options.createOnly
    ? Promise.resolve(skippedStep())
    : bench.measure(run);
}

/** A step a create-only scenario does not run. */
export function skippedStep(): StepFigures {
  const none = { requests: 0, limited: 0, points: 0, wallMs: 0, trafficMs: 0 };
  return { ...none, byMethod: {}, byRoute: {}, skipped: true };
}

/**
 * GitHub's limits a scenario runs under: "points", the secondary limit of 900 points a minute (a
 * write costs 5) and 100 requests in flight; "content", that and the content-creation limit too
 * (80 writes a minute, 500 an hour; GitHub does not say whether secret writes count).
 */
export type LimitModel = "points" | "content";

/**
 * What a scenario declares: "repo", N repository secrets spread over S repositories; "org", one
 * organization secret (N = 1) that S selected repositories may read, named in the program.
 */
export type Workload = "repo" | "org";

/** Options every peer's scenario takes. */
export interface ScenarioOptions {
  /** Measure create only (the content-creation runs): the other steps are `skippedStep()`. */
  createOnly?: boolean;
}

export type ClientName =
  | "provider"
  | "provider-plugin"
  | "provider-p64"
  | "provider-no-checkpoints"
  | "terraform-like"
  | "unbounded"
  | "gh";

/** The provider's default run uses Pulumi's default parallelism; one run uses --parallel 64. */
export const PROVIDER_P64_PARALLEL = 64;

export interface ScenarioResult {
  client: ClientName;
  /** The clock the scenario ran on (BenchSettings.timeScale): 1 is GitHub's real clock. */
  timeScale: number;
  /** Provider: the engine's `--parallel` for Create/Update/Delete (Check and Diff are serial). */
  parallel?: number;
  secrets: number;
  scopes: number;
  steps: Record<StepName, StepFigures>;
  /** Provider: length of the serialized `__provider` of one resource (stored in inputs). */
  providerBytes?: number;
  /** Provider: state file size after create, divided by the number of secrets. */
  stateBytesPerSecret?: number;
  /**
   * Secrets not on GitHub with their value after create, decrypted by the emulator (gh and the
   * unbounded model do not retry).
   */
  missingAfterCreate: number;
  limits: LimitModel;
  workload: Workload;
  /** Provider only: whether its output said that GitHub was pacing the run. */
  toldPacing?: boolean;
}

export interface BenchEmulator {
  emulator: Emulator;
  /** The clock the next steps run on (`useLimits` may change its time scale). */
  settings: BenchSettings;
  /** The limits the next steps run under (each step starts with fresh windows). */
  limits: LimitModel;
  /** Runs the next scenarios under `model`, on a clock `timeScale` times GitHub's. */
  useLimits(model: LimitModel, timeScale: number): void;
  /** Repository names of one scenario: distinct for each limit model. */
  prefix(base: string): string;
  /** Adds S repositories `${prefix}0 … ${prefix}{S-1}` to organization acme; returns their ids. */
  addScopes(prefix: string, scopes: number): number[];
  /** Measures one step: fresh rate-limit windows, a clean request log. */
  measure(run: () => Promise<void>): Promise<StepFigures>;
  close(): Promise<void>;
}

const OWNER = "acme";
let nextRepoId = 700_000;

export async function startBenchEmulator(
  settings: BenchSettings = DEFAULT_SETTINGS,
): Promise<BenchEmulator> {
  const limitOptions = (model: LimitModel, timeScale: number) => ({
    timeScale,
    secondary: true as const,
    ...(model === "content" ? { contentCreation: true as const } : {}),
  });
  const emulator = await startEmulator({
    latencyMs: settings.latencyMs,
    rateLimits: limitOptions("points", settings.timeScale),
  });
  const bench: BenchEmulator = {
    emulator,
    settings: { ...settings },
    limits: "points",
    useLimits(model, timeScale) {
      bench.limits = model;
      bench.settings = { ...bench.settings, timeScale };
    },
    prefix(base) {
      const clock = bench.settings.timeScale === 1 ? "real-" : "";
      return bench.limits === "points"
        ? `${clock}${base}`
        : `${bench.limits}-${clock}${base}`;
    },
    addScopes(prefix, scopes) {
      const ids: number[] = [];
      for (let s = 0; s < scopes; s++) {
        const id = nextRepoId++;
        emulator.addRepository(OWNER, { name: `${prefix}${s}`, id });
        ids.push(id);
      }
      return ids;
    },
    async measure(run) {
      // Every step starts as after an idle hour: no points or primary budget used yet.
      emulator.setRateLimits(
        limitOptions(bench.limits, bench.settings.timeScale),
      );
      emulator.resetLog();
      const before = emulator.rateLimitStats();
      const watch = observe(() => emulator.requestLog());
      let wallMs = 0;
      let seen: Observation = { hostPeakRssKb: 0, trafficSpanMs: 0 };
      const started = performance.now();
      try {
        await run();
      } finally {
        // Stop sampling even when the step failed (the caller reports the failure).
        wallMs = performance.now() - started;
        seen = watch.stop();
      }
      const after = emulator.rateLimitStats();
      const log = emulator.requestLog();
      const summary = emulator.logSummary();
      let points = 0;
      for (const e of log) {
        if (e.status === 403 || e.status === 429) continue;
        points += e.method === "GET" ? 1 : WRITE_POINTS;
      }
      return {
        requests: summary.total,
        byMethod: summary.byMethod,
        byRoute: summary.byRoute,
        limited:
          after.primaryRejections +
          after.secondaryRejections -
          before.primaryRejections -
          before.secondaryRejections,
        points,
        wallMs,
        trafficMs: seen.trafficSpanMs,
        ...(seen.hostPeakRssKb > 0
          ? { hostPeakRssKb: seen.hostPeakRssKb }
          : {}),
      };
    },
    close: () => emulator.close(),
  };
  return bench;
}

/** The provider: a real Pulumi program, run through the real Pulumi CLI step by step. */
export async function runProviderScenario(
  bench: BenchEmulator,
  secrets: number,
  scopes: number,
  options: ScenarioOptions & {
    packageDir?: string;
    onOutput?: (line: string) => void;
    /** `--parallel`; default Pulumi's (4 × CPUs). */
    parallel?: number;
    /**
     * The engine writes its state only at the end (`PULUMI_SKIP_CHECKPOINTS`), not after every
     * step: separates the provider's pacing from the engine's checkpoint writes.
     */
    skipCheckpoints?: boolean;
    /** "org": one OrgSecret visible to `scopes` selected repositories (`secrets` must be 1). */
    workload?: Workload;
    /**
     * The provider plugin (`pulumi-github-secrets/native`, the engine starting this repository's
     * plugin/) instead of the dynamic provider.
     */
    plugin?: boolean;
  } = {},
): Promise<ScenarioResult> {
  const parallel = options.parallel ?? defaultParallel();
  const client: ClientName = options.skipCheckpoints
    ? "provider-no-checkpoints"
    : options.plugin
      ? "provider-plugin"
      : options.parallel === undefined
        ? "provider"
        : "provider-p64";
  const workload = options.workload ?? "repo";
  const prefix = bench.prefix(
    workload === "org"
      ? `${client}-org-s${scopes}-`
      : `${client}-p${parallel}-n${secrets}-`,
  );
  let toldPacing = false;
  const onOutput = (line: string) => {
    toldPacing ||= /GitHub is pacing this run/.test(line);
    options.onOutput?.(line);
  };
  const repositoryIds = bench.addScopes(prefix, scopes);
  const program = new BenchProgram(
    workload === "org"
      ? {
          secrets: 0,
          scopes,
          repoPrefix: prefix,
          revisions: {},
          orgSecret: {
            repositories: repositoryIds.map((_, s) => `${prefix}${s}`),
          },
        }
      : { secrets, scopes, repoPrefix: prefix, revisions: {} },
    options.packageDir,
    options.plugin ? "plugin" : "dynamic",
  );
  const { emulator, settings } = bench;
  const env: NodeJS.ProcessEnv = {
    GITHUB_TOKEN: emulator.token,
    GITHUB_BASE_URL: emulator.url,
    GITHUB_OWNER: OWNER,
    // The provider keeps GitHub's minute and hour on the emulator's clock.
    PULUMI_GITHUB_SECRETS_TIME_SCALE: String(settings.timeScale),
    ...(options.skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
  };
  // The program's own folder (its node_modules may name another build of this package).
  const workspace = createWorkspace({
    project: program.dir,
    inPlace: true,
    stack: "dev",
    passphrase: "bench-passphrase",
    env,
  });
  const engine = async (command: "up" | "refresh" | "destroy") => {
    // As the CLI runs each command: a preview, then the update, at Pulumi's defaults otherwise.
    const result = await withPreview(workspace, command, {
      parallel,
      onOutput,
    });
    if (result.exitCode !== 0)
      throw new Error(
        `${command} of ${secrets} secrets failed: ${(result.error ?? result.output).slice(0, 2000)}`,
      );
    return result;
  };
  try {
    const create = await bench.measure(async () => void (await engine("up")));
    const exported = await exportStack<ExportedStack>(workspace);
    const providerBytes = providerLength(exported);
    const stateBytes = Buffer.byteLength(JSON.stringify(exported), "utf8");
    const missing =
      workload === "org"
        ? countOrgMissing(emulator, repositoryIds)
        : countMissing(emulator, prefix, secrets, scopes);
    const step = async (
      command: "up" | "refresh" | "destroy",
      before?: () => void,
    ) => {
      if (options.createOnly) return skippedStep();
      before?.();
      return bench.measure(async () => void (await engine(command)));
    };
    const noop = await step("up");
    const change = await step("up", () => program.changeValue(0));
    const refresh = await step("refresh");
    const destroy = await step("destroy");
    return {
      client,
      timeScale: settings.timeScale,
      parallel,
      secrets,
      scopes,
      limits: bench.limits,
      workload,
      toldPacing,
      steps: { create, noop, change, refresh, destroy },
      ...(providerBytes !== undefined ? { providerBytes } : {}),
      stateBytesPerSecret: stateBytes / secrets,
      missingAfterCreate: missing,
    };
  } finally {
    removeWorkspace(workspace);
    program.cleanup();
  }
}

/** The serialized forwarder's length (none with the plugin, which stores no code in state). */
function providerLength(exported: ExportedStack): number | undefined {
  const secret = exported.deployment.resources?.find((r) =>
    r.type.startsWith("pulumi-nodejs:dynamic/"),
  );
  const provider = secret?.inputs?.__provider;
  return typeof provider === "string"
    ? Buffer.byteLength(provider, "utf8")
    : undefined;
}

/** 1 unless ORG_SECRET holds its first value and exactly the selected repositories. */
export function countOrgMissing(emulator: Emulator, ids: number[]): number {
  const stored = emulator.getSecret("actions-org", OWNER, ORG_SECRET);
  const selected = [...(stored?.selectedRepositoryIds ?? [])].sort();
  return stored?.value === benchValue(0, 0) &&
    stored.visibility === "selected" &&
    JSON.stringify(selected) === JSON.stringify([...ids].sort())
    ? 0
    : 1;
}

/**
 * Secrets declared but not on GitHub with their first value: the emulator decrypts each stored
 * value with the scope's private key, and it is compared with what the program declared.
 */
export function countMissing(
  emulator: Emulator,
  prefix: string,
  secrets: number,
  scopes: number,
): number {
  let missing = 0;
  for (let i = 0; i < secrets; i++) {
    const repo = `${OWNER}/${prefix}${scopeOf(i, scopes)}`;
    const stored = emulator.getSecret("actions-repo", repo, secretName(i));
    if (stored?.value !== benchValue(i, 0)) missing++;
  }
  return missing;
}

export { OWNER };
