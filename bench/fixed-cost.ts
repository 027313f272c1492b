// Where an unchanged `pulumi up` spends its time. It sends no request, so all of it is the
// engine, the program and the provider process; to tell whose part is whose, the same no-op runs
// for programs that differ by one thing each, at N resources:
//   empty       no resource: the CLI, the program's start, reading and writing an empty state;
//   components  N component resources: registering N resources and keeping them in state, with
//               no provider call;
//   trivial     N resources of a dynamic provider that does nothing: adds Pulumi's
//               dynamic-provider host and its Check and Diff round trips;
//   dynamic     N RepoSecrets of this package: adds what this package does (its SDK, its check
//               and diff, its state);
//   plugin      N RepoSecrets on this package's provider plugin instead.
// Each no-op is run as the CLI runs `pulumi up` (a preview, then the update), several times; the
// median of each half is kept.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  createWorkspace,
  deploy,
  removeWorkspace,
  type Workspace,
} from "../tools/pulumi-cli/deployments";
import { OWNER, type BenchEmulator } from "./harness";

export const VARIANTS = [
  "empty",
  "components",
  "trivial",
  "dynamic",
  "plugin",
] as const;
export type Variant = (typeof VARIANTS)[number];

export interface FixedCost {
  variant: Variant;
  resources: number;
  /** Medians over the runs, in ms. */
  previewMs: number;
  updateMs: number;
  runs: number;
  /** Requests the no-ops sent (0 expected). */
  requests: number;
  /** Peak RSS of the provider process (dynamic host or plugin), kB. */
  hostPeakRssKb?: number;
  stateBytes: number;
}

const repositoryRoot = path.resolve(__dirname, "..");

/** The program of a variant; every resource's value is a Pulumi secret, as users write them. */
function source(variant: Variant, n: number, scopes: string): string {
  const head = `import * as pulumi from "@pulumi/pulumi";\n`;
  const each = (line: string) => `for (let i = 0; i < ${n}; i++) ${line}\n`;
  switch (variant) {
    case "empty":
      return head;
    case "components":
      return (
        head +
        each(
          `new pulumi.ComponentResource("fixed:index:Component", \`c-\${i}\`, {});`,
        )
      );
    case "trivial":
      return (
        head +
        `const provider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds: any, news: any) => ({ inputs: news }),
  diff: async () => ({ changes: false }),
  create: async (inputs: any) => ({ id: inputs.secretName, outs: inputs }),
};
class Trivial extends pulumi.dynamic.Resource {
  constructor(name: string, args: any) { super(provider, name, args); }
}
` +
        each(
          `new Trivial(\`s-\${i}\`, { repository: ${scopes}, secretName: \`S_\${i}\`, value: pulumi.secret(\`fixed-\${i}\`) });`,
        )
      );
    case "dynamic":
    case "plugin":
      return (
        head +
        `import { RepoSecret } from "pulumi-github-secrets${variant === "plugin" ? "/native" : ""}";\n` +
        each(
          `new RepoSecret(\`s-\${i}\`, { repository: ${scopes}, secretName: \`S_\${i}\`, value: pulumi.secret(\`fixed-\${i}\`) });`,
        )
      );
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function ok(
  workspace: Workspace,
  command: "preview" | "up" | "destroy",
): Promise<void> {
  const result = await deploy(workspace, command, {});
  if (result.exitCode !== 0)
    throw new Error(
      `${command} failed: ${(result.error ?? result.output).slice(0, 1000)}`,
    );
}

/** One variant at one size: created once (not measured), then `runs` no-ops. */
async function measureVariant(
  bench: BenchEmulator,
  variant: Variant,
  n: number,
  runs: number,
): Promise<FixedCost> {
  const prefix = bench.prefix(`fixed-${variant}-n${n}-`);
  const scopes = 4;
  bench.addScopes(prefix, scopes);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-fixed-`));
  fs.symlinkSync(
    path.join(repositoryRoot, "node_modules"),
    path.join(dir, "node_modules"),
  );
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: fixed\nruntime: nodejs\n" +
      (variant === "plugin"
        ? `plugins:\n  providers:\n    - name: github-secrets\n      path: ${JSON.stringify(path.join(repositoryRoot, "plugin"))}\n`
        : ""),
  );
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    source(variant, n, `\`${prefix}\${i % ${scopes}}\``),
  );
  const workspace = createWorkspace({
    project: dir,
    inPlace: true,
    stack: "dev",
    passphrase: "bench-passphrase",
    env: {
      GITHUB_TOKEN: bench.emulator.token,
      GITHUB_BASE_URL: bench.emulator.url,
      GITHUB_OWNER: OWNER,
      PULUMI_GITHUB_SECRETS_TIME_SCALE: String(bench.settings.timeScale),
    },
  });
  try {
    // Setting up is not what is measured: the state written once, at the end.
    await ok(
      {
        ...workspace,
        env: { ...workspace.env, PULUMI_SKIP_CHECKPOINTS: "true" },
      },
      "up",
    );
    const previews: number[] = [];
    const updates: number[] = [];
    let requests = 0;
    let peak = 0;
    for (let i = 0; i < runs; i++) {
      for (const [command, times] of [
        ["preview", previews],
        ["up", updates],
      ] as const) {
        const step = await bench.measure(() => ok(workspace, command));
        times.push(step.wallMs);
        requests += step.requests;
        peak = Math.max(peak, step.hostPeakRssKb ?? 0);
      }
    }
    const stacks = path.join(workspace.backendDir, ".pulumi", "stacks");
    const stateFile = fs
      .readdirSync(stacks, { recursive: true, encoding: "utf8" })
      .find((f) => f.endsWith("dev.json"));
    const stateBytes = stateFile
      ? fs.statSync(path.join(stacks, stateFile)).size
      : 0;
    await ok(workspace, "destroy");
    return {
      variant,
      resources: variant === "empty" ? 0 : n,
      previewMs: median(previews),
      updateMs: median(updates),
      runs,
      requests,
      ...(peak > 0 ? { hostPeakRssKb: peak } : {}),
      stateBytes,
    };
  } finally {
    removeWorkspace(workspace);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureFixedCost(
  bench: BenchEmulator,
  sizes: number[],
  progress: (line: string) => void,
  runs = 3,
  variants: readonly Variant[] = VARIANTS,
): Promise<FixedCost[]> {
  const out: FixedCost[] = [];
  for (const n of sizes)
    for (const variant of variants) {
      if (variant === "empty" && n !== sizes[0]) continue;
      const t = performance.now();
      out.push(await measureVariant(bench, variant, n, runs));
      progress(
        `fixed cost ${variant} N=${n}: ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    }
  return out;
}
