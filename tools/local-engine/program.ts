// The program: a child process running the user's index.ts with the real SDK (runner.ts), whose
// resource monitor forwards each registration here over Node's IPC channel and waits for the
// answer, as the SDK waits on the engine's RegisterResource RPC.
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Project, StackConfig } from "./config";
import { messageOf } from "./failures";
import type { ChildMessage, ParentMessage, Registration } from "./protocol";

export interface RegistrationAnswer {
  urn: string;
  id: string;
  outputs: Record<string, unknown>;
}

export interface ProgramHandlers {
  register(msg: Registration): Promise<RegistrationAnswer>;
  outputs(urn: string, outputs: Record<string, unknown>): void;
  print(line: string): void;
}

export interface ProgramRun {
  /** Errors the program itself reported (exceptions, failed registrations it did not catch). */
  errors: string[];
  exitCode: number | null;
  /** The process could not be started at all. */
  spawnError?: string;
}

export interface ProgramOptions {
  project: Project;
  stack: string;
  config: StackConfig;
  env: NodeJS.ProcessEnv;
  dryRun: boolean;
  organization: string;
}

export async function runProgram(
  opts: ProgramOptions,
  handlers: ProgramHandlers,
): Promise<ProgramRun> {
  const inflight: Promise<void>[] = [];
  let errors: string[] = [];
  let spawnError: string | undefined;
  const child = fork(
    path.join(__dirname, `runner${path.extname(__filename)}`),
    [],
    {
      cwd: opts.project.dir,
      env: programEnv(opts),
      execArgv: [
        "-r",
        require.resolve("ts-node/register/transpile-only", {
          paths: [opts.project.dir, __dirname],
        }),
      ],
      silent: true,
    },
  );
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").replace(/\n$/, "").split("\n"))
      handlers.print(`    ${line}`);
  };
  child.stdout?.on("data", relay);
  child.stderr?.on("data", relay);
  child.on("error", (err) => (spawnError = err.message));
  const reply = (msg: ParentMessage) => {
    if (child.connected) child.send(msg);
  };
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => resolve(code)),
  );
  child.on("message", (msg: ChildMessage) => {
    if (msg.t === "done") {
      errors = msg.errors;
      // A program that leaves handles open (timers, sockets) must not hang the engine.
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      child.once("exit", () => clearTimeout(timer));
      return;
    }
    if (msg.t === "outputs") {
      handlers.outputs(msg.urn, msg.outputs);
      return;
    }
    inflight.push(
      handlers.register(msg).then(
        (answer) => reply({ t: "registered", seq: msg.seq, ...answer }),
        (err: unknown) =>
          reply({
            t: "failed",
            seq: msg.seq,
            message: messageOf(err),
          }),
      ),
    );
  });
  const exitCode = await exited;
  // Registrations may still be running when the child exits (it waits for none after an error).
  for (let i = 0; i < inflight.length; i++) await inflight[i];
  return { errors, exitCode, ...(spawnError ? { spawnError } : {}) };
}

function programEnv(opts: ProgramOptions): NodeJS.ProcessEnv {
  const { project, stack, config, dryRun } = opts;
  const env: NodeJS.ProcessEnv = {
    ...opts.env,
    PULUMI_CONFIG: JSON.stringify(config.values),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secretKeys),
    PULUMI_NODEJS_PROJECT: project.name,
    PULUMI_NODEJS_STACK: stack,
    PULUMI_NODEJS_ROOT_DIRECTORY: project.dir,
    PULUMI_NODEJS_DRY_RUN: String(dryRun),
    LOCAL_ENGINE_PROJECT: project.name,
    LOCAL_ENGINE_STACK: stack,
    LOCAL_ENGINE_DRY_RUN: String(dryRun),
    LOCAL_ENGINE_ORGANIZATION: opts.organization,
    LOCAL_ENGINE_MAIN: project.main,
  };
  if (!findUp(project.dir, "tsconfig.json")) {
    // Pulumi's defaults for a TypeScript program without tsconfig.json (CommonJS flavour).
    env.TS_NODE_COMPILER_OPTIONS = JSON.stringify({
      target: "ES2020",
      module: "commonjs",
      moduleResolution: "node",
      sourceMap: true,
    });
  }
  delete env.PULUMI_NODEJS_MONITOR;
  delete env.PULUMI_NODEJS_ENGINE;
  return env;
}

function findUp(dir: string, name: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, name))) return path.join(d, name);
    if (path.dirname(d) === d) return undefined;
  }
}
