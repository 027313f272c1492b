// The real Pulumi CLI for the demo, the tests and the bench: the `pulumi` on PATH when there is
// one (a user's install), else the version pinned in this folder's go.mod, built once from its Go
// module (github.com/pulumi/pulumi/pkg/v3, package cmd/pulumi) into a git-ignored cache folder.
// Nothing built or fetched is committed: go.mod and go.sum name the modules, the Go module proxy
// serves them, the Go build cache makes a second build a link step.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const here = __dirname;
export const repositoryRoot = path.resolve(here, "../..");

/** The pinned version, read from go.mod so that the version lives in one place. */
export function pinnedVersion(): string {
  const goMod = fs.readFileSync(path.join(here, "go.mod"), "utf8");
  const match = goMod.match(
    /github\.com\/pulumi\/pulumi\/pkg\/v3 (v\d+\.\d+\.\d+)/,
  );
  if (!match)
    throw new Error(
      `${path.join(here, "go.mod")} requires no github.com/pulumi/pulumi/pkg/v3`,
    );
  return match[1]!;
}

/** Where the pinned build lives: the layout `PulumiCommand.get({ root })` expects (root/bin/pulumi). */
export function pinnedRoot(version = pinnedVersion()): string {
  return path.join(repositoryRoot, ".cache", "pulumi-cli", version);
}

function onPath(
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

export interface PulumiBinary {
  path: string;
  /** "PATH": a user's install; "pinned": built from this folder's go.mod. */
  source: "PATH" | "pinned";
}

/**
 * The CLI to run. `PULUMI_GITHUB_SECRETS_PINNED_CLI=1` skips the PATH lookup (CI uses it so that a
 * stray install cannot stand in for the pinned version).
 */
export function pulumiBinary(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): PulumiBinary {
  const fromPath = process.env.PULUMI_GITHUB_SECRETS_PINNED_CLI
    ? undefined
    : onPath("pulumi");
  if (fromPath) return { path: fromPath, source: "PATH" };
  const version = pinnedVersion();
  const binary = path.join(pinnedRoot(version), "bin", "pulumi");
  if (!fs.existsSync(binary)) buildPinned(version, binary, log);
  installBundledPlugin(path.dirname(binary));
  return { path: binary, source: "pinned" };
}

/**
 * A Pulumi release ships `pulumi-resource-pulumi-nodejs` (the dynamic-provider plugin) beside the
 * `pulumi` binary; the engine takes plugins from there without the "using … from $PATH" warning
 * it prints for others. The script comes from the installed @pulumi/pulumi, so it is copied again
 * whenever that changes.
 */
function installBundledPlugin(binDir: string): void {
  const name = "pulumi-resource-pulumi-nodejs";
  const script = fs.readFileSync(path.join(dynamicProviderPluginDir(), name));
  const target = path.join(binDir, name);
  if (fs.existsSync(target) && fs.readFileSync(target).equals(script)) return;
  // A name of this process's own: jest workers may get here at once.
  const partial = `${target}.${process.pid}.partial`;
  fs.writeFileSync(partial, script, { mode: 0o755 });
  fs.renameSync(partial, target);
}

function buildPinned(
  version: string,
  binary: string,
  log: (line: string) => void,
): void {
  if (!onPath("go"))
    throw new Error(
      `no \`pulumi\` on PATH and no \`go\` to build the pinned Pulumi CLI ${version} from its Go module: install Go 1.26 (or the Pulumi CLI)`,
    );
  log(
    `building the Pulumi CLI ${version} from its Go module, once (a few minutes on a cold Go cache)…`,
  );
  const started = Date.now();
  // Built beside its final place, then renamed: a build interrupted half-way leaves no binary
  // that a later run would take for a finished one, and two builds at once both end well.
  const partial = `${binary}.${process.pid}.partial`;
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  try {
    execFileSync(
      "go",
      [
        "build",
        "-o",
        partial,
        "-ldflags",
        // Without the stamp the CLI reports v3.0.0-dev, which the Automation API refuses.
        `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`,
        "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
      ],
      {
        cwd: here,
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, GOFLAGS: "-mod=readonly" },
      },
    );
    fs.renameSync(partial, binary);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  log(
    `built the Pulumi CLI ${version} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${binary}`,
  );
}

/** The folder of the installed @pulumi/pulumi, which ships the dynamic-provider plugin's script. */
function dynamicProviderPluginDir(): string {
  return path.dirname(
    require.resolve("@pulumi/pulumi/package.json", { paths: [repositoryRoot] }),
  );
}

/** PATH for the engine and the Automation API: the CLI's own folder first. */
export function enginePath(
  cli: PulumiBinary,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return [path.dirname(cli.path), env.PATH ?? ""].join(path.delimiter);
}
