// Real `pulumi` runs for the demo, the tests and the bench: a project folder copied into a
// scratch folder (so config edits never touch the committed stack files), a local file backend,
// the passphrase secrets provider and a PULUMI_HOME of its own (no plugin cache shared between
// runs). Every call is asynchronous: the GitHub emulator usually runs in the caller's process and
// must keep answering while the CLI works.
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { enginePath, pulumiBinary, repositoryRoot, type PulumiBinary } from ".";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { recordEvent } from "./events";
import type {
  Command,
  DeploymentFlags,
  DeploymentReport,
  DeploymentRequest,
  Step,
} from "./program";

export type { Command, Step };

/** Scratch folders live inside the repository so that programs resolve its node_modules. */
const scratchRoot = path.join(repositoryRoot, ".cache", "work");

export interface Workspace {
  /** The copy of the project that the CLI runs in. */
  dir: string;
  stack: string;
  /** Environment of every CLI call: backend, home, passphrase, PATH and the caller's additions. */
  env: NodeJS.ProcessEnv;
  backendDir: string;
  cli: PulumiBinary;
}

export interface WorkspaceOptions {
  /** Folder with Pulumi.yaml (and Pulumi.<stack>.yaml) to copy. */
  project: string;
  stack: string;
  passphrase: string;
  /** Copy only these files of `project` (the repository root holds more than its program). */
  files?: string[];
  /** Run in `project` itself, a throwaway folder of the caller's (no copy). */
  inPlace?: boolean;
  /** Laid over process.env for every call. */
  env?: NodeJS.ProcessEnv;
}

function copyProject(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyProject(source, path.join(to, entry.name));
    else if (entry.isFile()) fs.copyFileSync(source, path.join(to, entry.name));
  }
}

/** A fresh copy of a project with an empty backend: `pulumi stack init` comes with the first deployment. */
export function createWorkspace(options: WorkspaceOptions): Workspace {
  const id = `${path.basename(options.project)}-${options.stack}-${crypto.randomBytes(4).toString("hex")}`;
  const dir = options.inPlace
    ? options.project
    : path.join(scratchRoot, id, "project");
  if (!options.inPlace && options.files) {
    fs.mkdirSync(dir, { recursive: true });
    for (const file of options.files)
      fs.copyFileSync(path.join(options.project, file), path.join(dir, file));
  } else if (!options.inPlace) {
    copyProject(options.project, dir);
  }
  const backendDir = path.join(scratchRoot, id, "backend");
  const home = path.join(scratchRoot, id, "home");
  fs.mkdirSync(backendDir, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  const cli = pulumiBinary();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_HOME: home,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // No plugin is ever downloaded: there is no network, and a missing plugin must fail at once.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SELF_MANAGED_STATE_NO_LEGACY_WARNING: "true",
    ...options.env,
  };
  env.PATH = enginePath(cli, env);
  return { dir, stack: options.stack, env, backendDir, cli };
}

export function removeWorkspace(workspace: Workspace): void {
  fs.rmSync(path.dirname(workspace.backendDir), {
    recursive: true,
    force: true,
  });
}

export interface Run {
  exitCode: number;
  /** stdout and stderr, interleaved as they came. */
  output: string;
  /** stdout alone (what `--json` commands print). */
  stdout: string;
}

function run(
  command: string,
  args: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    onOutput?: (text: string) => void;
    input?: string;
  },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    let output = "";
    let stdout = "";
    const collect = (chunk: Buffer, fromStdout: boolean) => {
      const text = chunk.toString("utf8");
      output += text;
      if (fromStdout) stdout += text;
      options.onOutput?.(text);
    };
    child.stdout!.on("data", (chunk: Buffer) => collect(chunk, true));
    child.stderr!.on("data", (chunk: Buffer) => collect(chunk, false));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ exitCode: code ?? 1, output, stdout }),
    );
  });
}

/**
 * A plain CLI command in the workspace (`stack export`, `config set …`), for its stack. Values
 * go through `input` (standard input), never the arguments: arguments are visible to every
 * process on the machine, and a value starting with "-" would be read as a flag.
 */
export async function pulumi(
  workspace: Workspace,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    input?: string;
    allowFailure?: boolean;
    /** Add `--stack <the workspace's stack>` (not for `stack init`, which names it itself). */
    stackFlag?: boolean;
  } = {},
): Promise<Run> {
  const result = await run(
    workspace.cli.path,
    [
      ...args,
      ...(options.stackFlag === false ? [] : ["--stack", workspace.stack]),
      "--non-interactive",
    ],
    {
      cwd: workspace.dir,
      env: { ...workspace.env, ...options.env },
      ...(options.input === undefined ? {} : { input: options.input }),
    },
  );
  if (result.exitCode !== 0 && !options.allowFailure)
    throw new Error(
      `pulumi ${args.join(" ")} failed (${result.exitCode}):\n${result.output}`,
    );
  return result;
}

/** `pulumi stack export`: the stack's state as the backend holds it (secrets as ciphertext). */
/** `pulumi config set KEY` (with `--secret`), the value on standard input. */
export async function setConfig(
  workspace: Workspace,
  values: Record<string, string>,
  options: { secret?: boolean } = {},
): Promise<void> {
  for (const [key, value] of Object.entries(values))
    await pulumi(
      workspace,
      ["config", "set", ...(options.secret ? ["--secret"] : []), key],
      { input: value },
    );
}

export async function exportStack<
  T = { deployment: { resources?: unknown[] } },
>(workspace: Workspace): Promise<T> {
  return JSON.parse((await pulumi(workspace, ["stack", "export"])).stdout) as T;
}

/** `pulumi config --show-secrets --json`: key → value, as the program sees them. */
export async function stackConfig(
  workspace: Workspace,
): Promise<Record<string, string>> {
  const shown = await pulumi(workspace, ["config", "--show-secrets", "--json"]);
  const config = JSON.parse(shown.stdout) as Record<
    string,
    { value?: string; objectValue?: unknown }
  >;
  return Object.fromEntries(
    Object.entries(config).map(([key, entry]) => [
      key,
      entry.value ?? JSON.stringify(entry.objectValue),
    ]),
  );
}

export interface DeploymentOptions extends DeploymentFlags {
  /** Laid over the workspace's environment for this deployment only. */
  env?: NodeJS.ProcessEnv;
  onOutput?: (text: string) => void;
  /**
   * Another language's runner instead of program.ts: an Automation API program that takes the
   * DeploymentRequest (JSON) as its last argument and writes the DeploymentReport where it says.
   */
  runner?: Runner;
  /** The runner's program inputs (DeploymentRequest.inputs). */
  inputs?: Record<string, unknown>;
}

/** A program to run with the request as its last argument. */
export interface Runner {
  command: string;
  args: string[];
}

export interface Deployment extends Run {
  command: Command;
  steps: Step[];
  changes: Record<string, number>;
  outputs: Record<string, unknown>;
  /** The Automation API's error, with the CLI's own message, when the deployment failed. */
  error?: string;
}

/** program.ts under ts-node: TypeScript programs, in this repository's settings. */
const typescriptRunner = (): Runner => ({
  command: process.execPath,
  args: [
    "-r",
    require.resolve("ts-node/register/transpile-only", {
      paths: [repositoryRoot],
    }),
    path.join(__dirname, "program.ts"),
  ],
});

/** One deployment (one CLI process, one program process, fresh provider plugins). */
export async function deploy(
  workspace: Workspace,
  command: Command,
  options: DeploymentOptions = {},
): Promise<Deployment> {
  const resultFile = path.join(
    path.dirname(workspace.dir),
    `result-${crypto.randomBytes(4).toString("hex")}.json`,
  );
  const { env, onOutput, runner = typescriptRunner(), ...flags } = options;
  const request: DeploymentRequest = {
    ...flags,
    command,
    cwd: workspace.dir,
    stack: workspace.stack,
    result: resultFile,
    cliRoot: path.dirname(path.dirname(workspace.cli.path)),
  };
  const result = await run(
    runner.command,
    [...runner.args, JSON.stringify(request)],
    {
      cwd: workspace.dir,
      // The runner and the program compile with this repository's settings wherever the program
      // lives (ts-node would look for a tsconfig.json from the program's folder up).
      env: {
        TS_NODE_PROJECT: path.join(repositoryRoot, "tsconfig.json"),
        ...workspace.env,
        ...env,
      },
      ...(onOutput ? { onOutput } : {}),
    },
  );
  let report: DeploymentReport = {
    command,
    steps: [],
    changes: {},
    outputs: {},
  };
  try {
    report = {
      ...report,
      ...(JSON.parse(
        fs.readFileSync(resultFile, "utf8"),
      ) as Partial<DeploymentReport>),
    };
    fs.rmSync(resultFile);
  } catch {
    report.error = `the deployment wrote no result:\n${result.output}`;
  }
  return {
    ...result,
    ...report,
    exitCode: report.error ? result.exitCode || 1 : result.exitCode,
  };
}

export interface Update {
  preview: Deployment;
  update?: Deployment;
  exitCode: number;
  output: string;
  error?: string;
}

/**
 * What the CLI's `pulumi up`, `refresh` and `destroy` do without `--skip-preview`: a preview
 * deployment, then the update deployment, each with its own program and plugin processes. A
 * failed preview stops there, as the CLI does.
 */
export async function withPreview(
  workspace: Workspace,
  command: Exclude<Command, "preview">,
  options: DeploymentOptions = {},
): Promise<Update> {
  const preview =
    command === "up"
      ? await deploy(workspace, "preview", options)
      : await deploy(workspace, command, { ...options, previewOnly: true });
  if (preview.exitCode !== 0)
    return {
      preview,
      exitCode: preview.exitCode,
      output: preview.output,
      ...(preview.error ? { error: preview.error } : {}),
    };
  const update = await deploy(workspace, command, options);
  return {
    preview,
    update,
    exitCode: update.exitCode,
    output: preview.output + update.output,
    ...(update.error ? { error: update.error } : {}),
  };
}

/**
 * `pulumi <command>` in the project folder, as a user types it: the CLI starts the project's
 * language host itself (a YAML project's: the one beside the pinned CLI) and, for `up` and
 * `destroy`, runs the preview first, as without `--skip-preview` (`--yes` is added). The steps
 * and counts are those of the update (or of the preview, for `preview`), read from the engine's
 * event log (`--event-log`, a flag the CLI offers with PULUMI_DEBUG_COMMANDS, as to the
 * Automation API). A failed command is returned, not thrown: callers check `exitCode`.
 */
export async function inFolder(
  workspace: Workspace,
  command: Command,
  args: string[] = [],
): Promise<Deployment> {
  const eventLog = path.join(
    path.dirname(workspace.dir),
    `events-${crypto.randomBytes(4).toString("hex")}.jsonl`,
  );
  const result = await pulumi(
    workspace,
    [
      command,
      ...(command === "preview" ? [] : ["--yes"]),
      "--event-log",
      eventLog,
      ...args,
    ],
    { env: { PULUMI_DEBUG_COMMANDS: "true" }, allowFailure: true },
  );
  const report: DeploymentReport = {
    command,
    steps: [],
    changes: {},
    outputs: {},
  };
  if (fs.existsSync(eventLog)) {
    for (const line of fs.readFileSync(eventLog, "utf8").split("\n"))
      if (line.trim()) recordEvent(report, JSON.parse(line) as EngineEvent);
    fs.rmSync(eventLog);
  }
  return {
    ...result,
    ...report,
    ...(result.exitCode === 0
      ? {}
      : { error: `pulumi ${command} failed (${result.exitCode})` }),
  };
}

/** Pulumi's default `--parallel`: 4 × GOMAXPROCS (pkg/cmd/pulumi/operations/up.go). */
export function defaultParallel(): number {
  return 4 * os.availableParallelism();
}
