// `npm run bench`: the provider and its peers, side by side against one emulated GitHub with
// 30 ms of latency and GitHub's limits; prints a table and writes BENCHMARKS.md. Three parts:
//   real     GitHub's real clock (time scale 1): N = 100 and 300 over 4 repositories, the provider
//            (dynamic and plugin), terraform-like and gh; the headline figures;
//   fixed    where an unchanged `pulumi up` spends its time, at N = 100 and 1000;
//   scaled   GitHub's clock 60× faster: N = 1000 over 8 repositories (also without checkpoint
//            writes), an organization secret with 50 selected repositories, and create under
//            GitHub's content-creation limit on a 20× clock.
//
//   npm run bench -- [--only real,fixed,scaled] [--real-sizes 100:4,300:4] [--sizes 1000:8]
//                    [--time-scale 60] [--latency 30] [--out FILE|-]
//                    [--package DIR]   (pulumi-github-secrets from DIR/bin instead of this checkout's)
//                    [--parallel-64]   (the provider at --parallel 64 too, at the largest size)
//                    [--no-content-limit] (skip the runs under GitHub's content-creation limit)
//                    [--content-time-scale 20]  (their clock: an hour lasts 3 minutes)
//                    [--org-repositories 50]  (the organization secret's selected repositories)
//                    [--from-results .cache/bench/results.json]  (report a saved run again)
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ghBinary } from "../tools/peers";
import {
  runGhOrgModel,
  runTerraformLike,
  runTerraformOrg,
  runUnbounded,
} from "./baselines";
import { measureFixedCost, type FixedCost } from "./fixed-cost";
import { runGh } from "./gh";
import {
  DEFAULT_SETTINGS,
  PROVIDER_P64_PARALLEL,
  runProviderScenario,
  startBenchEmulator,
  type BenchEmulator,
  type BenchSettings,
  type ScenarioOptions,
  type ScenarioResult,
} from "./harness";
import { chartPng, type ChartSeries } from "./chart";
import {
  clientLabel,
  consoleTable,
  markdown,
  type Explanations,
  type RunInfo,
} from "./report";
import { judge, MEASURED_ELSEWHERE } from "./targets";

const PARTS = ["real", "fixed", "scaled"] as const;
type Part = (typeof PARTS)[number];

interface Size {
  secrets: number;
  scopes: number;
}

interface Args {
  only: Set<Part>;
  /** Sizes at GitHub's real clock (the headline). */
  realSizes: Size[];
  /** Sizes on the compressed clock. */
  sizes: Size[];
  /** Sizes of the fixed-cost measurement. */
  fixedSizes: number[];
  settings: BenchSettings;
  /** "-": do not write a file. */
  out: string;
  /** pulumi-github-secrets to load instead of the repository's bin/. */
  packageDir?: string;
  parallel64: boolean;
  contentLimit: boolean;
  /**
   * The content-creation runs' clock. Slower than the main runs': the engine's own pace is real
   * time, so on a 60× clock the provider would write a few secrets per emulated minute and never
   * meet a limit that real GitHub would hold it to.
   */
  contentTimeScale: number;
  /** Selected repositories of the organization secret's scenario. */
  orgRepositories: number;
  /** Write the report from a saved run's figures (.cache/bench/results.json) instead of measuring. */
  fromResults?: string;
}

const defaultOut = path.resolve(__dirname, "../BENCHMARKS.md");

function parseArgs(argv: string[]): Args {
  const args: Args = {
    only: new Set(PARTS),
    realSizes: [
      { secrets: 100, scopes: 4 },
      { secrets: 300, scopes: 4 },
    ],
    sizes: [{ secrets: 1000, scopes: 8 }],
    fixedSizes: [100, 1000],
    settings: { ...DEFAULT_SETTINGS },
    out: defaultOut,
    parallel64: false,
    contentLimit: true,
    contentTimeScale: 20,
    orgRepositories: 50,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--parallel-64") {
      args.parallel64 = true;
      continue;
    }
    if (flag === "--no-content-limit") {
      args.contentLimit = false;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const positive = (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`${flag}: not a positive integer: ${v}`);
      return n;
    };
    const sizes = () =>
      value.split(",").map((pair) => {
        const [n, s] = pair.split(":");
        return { secrets: positive(n ?? ""), scopes: positive(s ?? "1") };
      });
    if (flag === "--sizes") args.sizes = sizes();
    else if (flag === "--real-sizes") args.realSizes = sizes();
    else if (flag === "--fixed-sizes")
      args.fixedSizes = value.split(",").map(positive);
    else if (flag === "--only") {
      const parts = value.split(",");
      for (const part of parts)
        if (!PARTS.includes(part as Part))
          throw new Error(`--only: ${part} is none of ${PARTS.join(", ")}`);
      args.only = new Set(parts as Part[]);
    } else if (flag === "--time-scale")
      args.settings.timeScale = positive(value);
    else if (flag === "--org-repositories")
      args.orgRepositories = positive(value);
    else if (flag === "--content-time-scale")
      args.contentTimeScale = positive(value);
    else if (flag === "--latency") args.settings.latencyMs = Number(value);
    else if (flag === "--out") args.out = value;
    else if (flag === "--package") args.packageDir = path.resolve(value);
    else if (flag === "--from-results") args.fromResults = path.resolve(value);
    else throw new Error(`unknown flag ${flag}`);
  }
  return args;
}

/** One peer's scenario: the five steps (or create only) at N secrets over S scopes. */
type Runner = (
  bench: BenchEmulator,
  secrets: number,
  scopes: number,
  options?: ScenarioOptions,
) => Promise<ScenarioResult>;

/** Why a target can be missed and what bounds it; printed only for missed targets. */
const EXPLANATIONS: Explanations = [
  {
    prefix: "create = N + S",
    text: "the provider sent requests beyond one key GET per scope and one PUT per secret; the route breakdown above shows which.",
  },
  {
    prefix: "no-op up = 0",
    text: "an unchanged program made the provider call GitHub; diff is meant to be local.",
  },
  {
    prefix: "refresh",
    text: "refresh read more than one listing per 100 secrets of a scope plus one key per scope, in each of its two deployments (the preview reads too).",
  },
  {
    prefix: "0 × 403/429",
    text: "GitHub refused requests: the budget was spent faster than GitHub allows. Each step starts with fresh windows, so this is the provider's pacing, not an earlier step's.",
  },
  {
    prefix: "create ≤ 1.3 × (no-op wall + 2 s)",
    text: "the points fit in one minute, so nothing waits for GitHub; what is left over the no-op is the engine creating N resources: a Create round trip per resource at --parallel 8 and, on a local file backend, the whole checkpoint rewritten after every step (see the fixed-cost section for what the no-op itself costs).",
  },
  {
    prefix: "destroy ≤ 10 s",
    text: "destroy runs no program; its time is the engine deleting N resources (a Delete round trip each at --parallel 8, a checkpoint after each) and the provider processes' start, in its preview and its update.",
  },
  {
    prefix: "create ≤ 1.10 × its floor",
    text: "the floor is the no-op plus the minute GitHub's budget imposes plus N + S requests at the engine's parallelism; what exceeds it is the engine's per-step work after the minute (a checkpoint of a growing state after every create), which the provider cannot shorten.",
  },
  {
    prefix: "create ≥ 8× faster",
    text: "the peers' figures come from another machine: the ratio compares this run's wall time with theirs.",
  },
  {
    prefix: "no-op up no slower than @pulumi/github's",
    text: "a no-op sends no request; its time is the engine's, the program's and Pulumi's dynamic-provider host's (see the fixed-cost section: the do-nothing dynamic provider costs about what the provider costs). @pulumi/github's figure comes from another machine.",
  },
  {
    prefix: "create traffic ≤ 1.10 × the budget floor",
    text: "even with the state written once, the engine checks, diffs and creates one resource after another through its own pipeline, so the writes do not all reach the provider the moment the budget allows them.",
  },
  {
    prefix: "provider host peak RSS",
    text: "Pulumi's dynamic-provider host is most of it: with a do-nothing dynamic provider it holds about 146 MB through a no-op of 1000 resources (the fixed-cost section), @pulumi/pulumi's runtime alone about 120 MB. The first write adds what sending and sealing need, loaded on first use: Node's fetch (undici) about 14 MB and libsodium's WebAssembly about 17 MB (measured in a bare Node 20 process; one changed value at N = 100 peaks 31 MB above its no-op). What remains at N = 1000 (about 40 MB) grows with the number of gRPC calls the host answers and is V8's to collect. The provider plugin, a process of its own without @pulumi/pulumi's host, peaks near 105 MB at N = 300.",
  },
  {
    prefix: "under the content-creation limit",
    text: "see the content-creation section: refusals are the writes already on their way when GitHub first refused.",
  },
  {
    prefix: "`__provider`",
    text: "the serialized forwarder grew; see sdk/forwarder.ts.",
  },
];

/**
 * One line per tool at GitHub's real clock, and the real peers measured elsewhere beside them; a
 * tool that lost secrets says how many.
 */
function chartSeries(results: ScenarioResult[]): ChartSeries[] {
  const real = results.filter(
    (r) => r.limits === "points" && r.workload === "repo" && r.timeScale === 1,
  );
  const clients = [...new Set(real.map((r) => r.client))];
  const measured = clients.map((client) => {
    const runs = real.filter((r) => r.client === client);
    const lost = runs.filter((r) => r.missingAfterCreate > 0);
    const label = clientLabel(real, client);
    return {
      label: lost.length
        ? `${label}: lost ${lost.map((r) => `${r.missingAfterCreate} of ${r.secrets}`).join(", ")}`
        : label,
      points: runs.map((r) => ({
        secrets: r.secrets,
        createWallMs: r.steps.create.wallMs,
        requestsPerSecret: r.steps.create.requests / r.secrets,
      })),
    };
  });
  const elsewhere = MEASURED_ELSEWHERE.tools.slice(0, 2).map((tool) => ({
    label: `${tool.name.replace(/ \(.*\)$/, "")} (measured elsewhere)`,
    points: [
      {
        secrets: MEASURED_ELSEWHERE.secrets,
        createWallMs: tool.steps.create.wallMs,
        requestsPerSecret:
          Number(tool.steps.create.requests.split(" ")[0]) /
          MEASURED_ELSEWHERE.secrets,
      },
    ],
  }));
  return [...measured, ...elsewhere];
}

/** The commit measured, and whether provider/ or sdk/ had uncommitted changes (built into bin/). */
function revision(packageDir: string | undefined): string {
  try {
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd: __dirname, encoding: "utf8" }).trim();
    const head = git("rev-parse", "--short", "HEAD");
    if (packageDir) return `${head}, the package loaded from ${packageDir}`;
    const dirty = git("status", "--porcelain", "--", "../provider", "../sdk");
    return `${head}${dirty ? " with uncommitted changes in provider/ or sdk/" : ""}, the package as \`npm run build\` left bin/`;
  } catch {
    return "unknown";
  }
}

/** What a run measured: enough to write the report again (`--from-results`). */
interface Measured {
  results: ScenarioResult[];
  fixedCost: FixedCost[];
  info: RunInfo;
}

const resultsFile = path.resolve(__dirname, "../.cache/bench/results.json");

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const measured = args.fromResults
    ? (JSON.parse(fs.readFileSync(args.fromResults, "utf8")) as Measured)
    : await measureAll(args, progress);
  // The figures are the run's; say which code wrote the prose around them.
  if (args.fromResults)
    measured.info.revision += `; the report written again from its saved figures by ${revision(undefined).split(",")[0]}`;
  await report(measured, args, progress);
}

/** Every scenario, side by side against one emulator. */
async function measureAll(
  args: Args,
  progress: (line: string) => void,
): Promise<Measured> {
  const started = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  const bench = await startBenchEmulator(args.settings);
  const results: ScenarioResult[] = [];
  let fixedCost: FixedCost[] = [];
  const failures: string[] = [];
  // The real GitHub CLI when it can be built here; else its model, with the reason in the report.
  const gh = ghBinary(progress);
  if ("reason" in gh) progress(`gh: ${gh.reason}; measuring its model instead`);
  const packageOption = args.packageDir ? { packageDir: args.packageDir } : {};
  const provider: Runner = (b, n, s, o) =>
    runProviderScenario(b, n, s, { ...o, ...packageOption });
  const peers: readonly (readonly [string, Runner])[] = [
    ["provider", provider],
    ["terraform-like", runTerraformLike],
    [
      "path" in gh ? `gh ${gh.version}` : "unbounded",
      "path" in gh ? (b, n, s, o) => runGh(b, n, s, gh.path, o) : runUnbounded,
    ],
  ];
  const measure = async (
    name: string,
    secrets: number,
    scopes: number,
    run: () => Promise<ScenarioResult>,
  ) => {
    const t = performance.now();
    const clock =
      bench.settings.timeScale === 1
        ? "real clock"
        : `time scale ${bench.settings.timeScale}`;
    const tag = `N=${secrets} S=${scopes} [${clock}${bench.limits === "content" ? ", content-creation limit" : ""}] ${name}`;
    progress(`${tag}…`);
    try {
      results.push(await run());
      progress(`${tag}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    } catch (error) {
      // A scenario that fails is a finding for the report, not the end of the run.
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${tag}: ${message.slice(0, 1000)}`);
      progress(`${tag} FAILED: ${message.slice(0, 300)}`);
    }
  };
  try {
    if (args.only.has("real")) {
      // GitHub's real clock: what users wait for.
      bench.useLimits("points", 1);
      for (const { secrets, scopes } of args.realSizes) {
        for (const [name, run] of peers)
          await measure(name, secrets, scopes, () =>
            run(bench, secrets, scopes),
          );
        await measure("provider plugin", secrets, scopes, () =>
          runProviderScenario(bench, secrets, scopes, {
            plugin: true,
            ...packageOption,
          }),
        );
      }
    }
    if (args.only.has("fixed")) {
      progress("fixed cost of an unchanged up…");
      // No-ops send nothing; the set-up creates are faster on the compressed clock.
      bench.useLimits("points", args.settings.timeScale);
      try {
        fixedCost = await measureFixedCost(bench, args.fixedSizes, progress);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push(`fixed cost: ${message.slice(0, 1000)}`);
        progress(`fixed cost FAILED: ${message.slice(0, 300)}`);
      }
    }
    if (args.only.has("scaled")) {
      bench.useLimits("points", args.settings.timeScale);
      for (const { secrets, scopes } of args.sizes)
        for (const [name, run] of peers)
          await measure(name, secrets, scopes, () =>
            run(bench, secrets, scopes),
          );
      // One organization secret that S selected repositories may read, named in the program.
      const s = args.orgRepositories;
      await measure("provider, OrgSecret", 1, s, () =>
        runProviderScenario(bench, 1, s, { workload: "org", ...packageOption }),
      );
      await measure("terraform-like, organization secret", 1, s, () =>
        runTerraformOrg(bench, s),
      );
      await measure("gh model, organization secret", 1, s, () =>
        runGhOrgModel(bench, s),
      );
      const largest = args.sizes.reduce((a, b) =>
        b.secrets > a.secrets ? b : a,
      );
      const { secrets, scopes } = largest;
      // The engine's checkpoint writes set the provider's pace at large N (see EXPLANATIONS):
      // the same program with the state written once, at the end, shows the provider's own.
      await measure("provider, PULUMI_SKIP_CHECKPOINTS", secrets, scopes, () =>
        runProviderScenario(bench, secrets, scopes, {
          skipCheckpoints: true,
          ...packageOption,
        }),
      );
      if (args.parallel64)
        await measure(
          `provider --parallel ${PROVIDER_P64_PARALLEL}`,
          secrets,
          scopes,
          () =>
            runProviderScenario(bench, secrets, scopes, {
              parallel: PROVIDER_P64_PARALLEL,
              ...packageOption,
            }),
        );
      if (args.contentLimit) {
        bench.useLimits("content", args.contentTimeScale);
        for (const [name, run] of peers)
          await measure(name, secrets, scopes, () =>
            run(bench, secrets, scopes, { createOnly: true }),
          );
      }
    }
  } finally {
    await bench.close();
  }
  const violations = bench.emulator.schemaViolations();
  if (violations.length > 0)
    progress(
      `${violations.length} requests or responses broke GitHub's description`,
    );
  const info: RunInfo = {
    settings: args.settings,
    contentTimeScale: args.contentTimeScale,
    realSizes: args.realSizes,
    sizes: args.sizes,
    node: process.version,
    cpus: os.cpus().length,
    loadBefore,
    loadAfter: os.loadavg()[0] ?? 0,
    totalMs: performance.now() - started,
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    revision: revision(args.packageDir),
    gh: "path" in gh ? { version: gh.version } : { reason: gh.reason },
    failures,
    schemaViolations: violations.length,
  };
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(
    resultsFile,
    JSON.stringify({ results, fixedCost, info }, null, 1),
  );
  progress(`saved the figures in ${resultsFile}`);
  return { results, fixedCost, info };
}

/** The console table and, unless --out -, BENCHMARKS.md and its chart. */
async function report(
  { results, fixedCost, info }: Measured,
  args: Args,
  progress: (line: string) => void,
): Promise<void> {
  const targets = judge(results, info.settings.latencyMs);
  console.log(consoleTable(results));
  console.log("");
  for (const t of targets)
    console.log(`${t.met ? "met    " : "MISSED "} ${t.target}: ${t.measured}`);
  // BENCHMARKS.md's chart is bench/chart.png; a report written elsewhere gets its own beside it.
  const chartFile =
    args.out === defaultOut
      ? path.resolve(__dirname, "chart.png")
      : args.out.replace(/(\.md)?$/, ".png");
  const drawChart = args.out !== "-";
  const text = markdown(
    results,
    fixedCost,
    targets,
    info,
    EXPLANATIONS,
    drawChart
      ? path
          .relative(path.dirname(args.out), chartFile)
          .split(path.sep)
          .join("/")
      : undefined,
  );
  if (drawChart) {
    fs.writeFileSync(
      chartFile,
      chartPng(
        chartSeries(results),
        `Creating N secrets at GitHub's real clock: pulumi-github-secrets and its peers`,
        `npm run bench, ${info.date.slice(0, 10)}: ${info.settings.latencyMs} ms per request, 900 points a minute; @pulumi/github and terraform-provider-github measured elsewhere (N = 100). See BENCHMARKS.md.`,
      ),
    );
    progress(`wrote ${chartFile}`);
  }
  if (args.out !== "-") {
    // CI checks every file with Prettier; its markdown tables are padded to align.
    const prettier: typeof import("prettier") = require("prettier");
    fs.writeFileSync(
      args.out,
      await prettier.format(text, { parser: "markdown" }),
    );
    progress(`wrote ${args.out}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
