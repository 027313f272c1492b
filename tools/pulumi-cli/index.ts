// The real Pulumi CLI for the demo, the tests and the bench: the `pulumi` on PATH when there is
// one (a user's install), else the version pinned in this folder's go.mod, built once from its Go
// module (github.com/pulumi/pulumi/pkg/v3, package cmd/pulumi) into a git-ignored cache folder,
// with what a release ships beside it: the dynamic-provider plugin and the YAML language host.
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

export function onPath(
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
  installYamlLanguageHost(path.dirname(binary), log);
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
  goBuild({
    what: `the Pulumi CLI ${version}`,
    moduleDir: here,
    pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    // Without the stamp the CLI reports v3.0.0-dev, which the Automation API refuses.
    ldflags: `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`,
    binary,
    log,
  });
}

/** tools/pulumi-yaml: the YAML language host's Go module, at the versions it pins. */
const yamlModuleDir = path.join(here, "..", "pulumi-yaml");

/** The pinned github.com/pulumi/pulumi-yaml version, read from its module's go.mod. */
export function yamlVersion(): string {
  const goMod = fs.readFileSync(path.join(yamlModuleDir, "go.mod"), "utf8");
  const match = goMod.match(
    /github\.com\/pulumi\/pulumi-yaml (v\d+\.\d+\.\d+)/,
  );
  if (!match)
    throw new Error(
      `${path.join(yamlModuleDir, "go.mod")} requires no github.com/pulumi/pulumi-yaml`,
    );
  return match[1]!;
}

/**
 * A Pulumi release ships the YAML language host `pulumi-language-yaml` beside `pulumi`, where the
 * CLI looks for a project's language plugin first: `runtime: yaml` projects then run with
 * `pulumi up` in their folder, and so does `pulumi import` there. It is built once per version
 * into .cache/pulumi-yaml/<version>/ from its own Go module (it does not compile against the
 * CLI's pkg/v3; see tools/pulumi-yaml/go.mod) and hard-linked beside the CLI: a new version is
 * a new link, an unchanged one costs two stat calls.
 */
function installYamlLanguageHost(
  binDir: string,
  log: (line: string) => void,
): void {
  const name = "pulumi-language-yaml";
  const version = yamlVersion();
  const built = path.join(
    repositoryRoot,
    ".cache",
    "pulumi-yaml",
    version,
    name,
  );
  if (!fs.existsSync(built))
    goBuild({
      what: `the Pulumi YAML language host ${version}`,
      moduleDir: yamlModuleDir,
      pkg: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
      // What its GetPluginInfo reports (pulumi-yaml's Makefile stamps it the same way).
      ldflags: `-X github.com/pulumi/pulumi-yaml/pkg/version.Version=${version.slice(1)}`,
      binary: built,
      log,
    });
  const target = path.join(binDir, name);
  if (
    fs.existsSync(target) &&
    fs.statSync(target).ino === fs.statSync(built).ino
  )
    return;
  const partial = `${target}.${process.pid}.partial`;
  fs.rmSync(partial, { force: true });
  fs.linkSync(built, partial);
  fs.renameSync(partial, target);
}

/**
 * `go build` of a package of one of our Go modules, with a progress line before and after: the
 * first build of a cold Go cache takes minutes. Built beside its final place, then renamed: a
 * build interrupted half-way leaves no binary that a later run would take for a finished one,
 * and two builds at once both end well.
 */
function goBuild(options: {
  what: string;
  moduleDir: string;
  pkg: string;
  ldflags: string;
  binary: string;
  log: (line: string) => void;
}): void {
  const { what, binary, log } = options;
  if (!onPath("go"))
    throw new Error(
      `no \`pulumi\` on PATH and no \`go\` to build ${what} from its Go module: install Go 1.26 (or the Pulumi CLI)`,
    );
  log(
    `building ${what} from its Go module, once (minutes on a cold Go cache)…`,
  );
  const started = Date.now();
  const partial = `${binary}.${process.pid}.partial`;
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  try {
    execFileSync(
      "go",
      ["build", "-o", partial, "-ldflags", options.ldflags, options.pkg],
      {
        cwd: options.moduleDir,
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, GOFLAGS: "-mod=readonly" },
      },
    );
    fs.renameSync(partial, binary);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  log(
    `built ${what} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${binary}`,
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
