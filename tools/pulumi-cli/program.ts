// One deployment of a Pulumi TypeScript project folder through the real CLI, as an Automation API
// inline program:
//
//   ts-node tools/pulumi-cli/program.ts '<a DeploymentRequest as JSON>'
//
// (deployments.ts `deploy` writes the request; the flags are the CLI's, named in DeploymentFlags.)
//
// Why not `pulumi up` in the folder: the CLI runs a program through its Node.js language host,
// `pulumi-language-nodejs`, a Go module of its own that the module proxy here refuses (see
// README.md beside this file). The Automation API runs the program in this process, behind a
// language server of its own, and hands the CLI `--client=ADDRESS`; engine, state, plugins and
// provider processes are the CLI's, exactly as with `pulumi up`. One process per deployment, as
// the language host starts one Node process per deployment: nothing the program or the SDK keep
// in memory outlives it.
//
// `up` here is one update deployment (the Automation API passes --skip-preview): callers that
// mean the CLI's `pulumi up` run `preview` first, as the CLI does (see deployments.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import {
  LocalWorkspace,
  PulumiCommand,
  type EngineEvent,
  type OpType,
} from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { enginePath, pulumiBinary } from ".";
import { recordEvent } from "./events";

export type Command = "preview" | "up" | "refresh" | "destroy";

export interface Step {
  op: OpType;
  urn: string;
  type: string;
  name: string;
  /** Property keys the provider's diff named (none for a dynamic resource's). */
  keys?: string[];
}

/** What the runner writes to --result: the steps as the engine reported them. */
export interface DeploymentReport {
  command: Command;
  steps: Step[];
  changes: Record<string, number>;
  outputs: Record<string, unknown>;
  error?: string;
}

/** The CLI's flags a deployment may take (`--parallel`, `--replace`…). */
export interface DeploymentFlags {
  parallel?: number;
  replace?: string[];
  target?: string[];
  expectNoChanges?: boolean;
  diff?: boolean;
  refresh?: boolean;
  runProgram?: boolean;
  /** refresh and destroy: only their preview (`--preview-only`). */
  previewOnly?: boolean;
  /**
   * `--logtostderr --logflow -v=9`: the engine's debug log, with what every provider process
   * printed, on stderr (for leak scans of everything a run logs).
   */
  verboseLogs?: boolean;
}

/** What the runner is asked to do: its one argument, as JSON. */
export interface DeploymentRequest extends DeploymentFlags {
  command: Command;
  /** The project folder. */
  cwd: string;
  stack: string;
  /** Where to write the DeploymentReport. */
  result: string;
  /** The CLI's root (root/bin/pulumi), for the Automation API's PulumiCommand. */
  cliRoot: string;
  /** A runner of another language: what its program declares (tests/native/go, python). */
  inputs?: Record<string, unknown>;
}

function parseRequest(argument: string | undefined): DeploymentRequest {
  const request = JSON.parse(argument ?? "{}") as DeploymentRequest;
  if (!["preview", "up", "refresh", "destroy"].includes(request.command))
    throw new Error(
      `unknown command ${request.command}: preview, up, refresh or destroy`,
    );
  return request;
}

/** The project's program, as the Node.js language host would load it: Pulumi.yaml's `main`, else index. */
function programOf(
  cwd: string,
  main = ".",
): () => Promise<Record<string, unknown>> {
  const entry = require.resolve(path.resolve(cwd, main));
  return async () => {
    const exported = require(entry) as
      Record<string, unknown> | (() => Promise<Record<string, unknown>>);
    // Stack outputs are the module's exports, or what an exported function returns, as with
    // the language host.
    return typeof exported === "function"
      ? { ...(await exported()) }
      : { ...exported };
  };
}

async function main(): Promise<void> {
  const args = parseRequest(process.argv[2]);
  const cli = pulumiBinary();
  const pulumiCommand = await PulumiCommand.get({
    root: path.dirname(path.dirname(cli.path)),
  });
  const project = parse(
    fs.readFileSync(path.join(args.cwd, "Pulumi.yaml"), "utf8"),
  ) as { name: string; main?: string };
  const stack = await LocalWorkspace.createOrSelectStack(
    {
      stackName: args.stack,
      projectName: project.name,
      program: programOf(args.cwd, project.main),
    },
    // The project's own folder and Pulumi.yaml; the CLI's folder first on PATH, as for `npm run pulumi`.
    { workDir: args.cwd, pulumiCommand, envVars: { PATH: enginePath(cli) } },
  );
  const report: DeploymentReport = {
    command: args.command,
    steps: [],
    changes: {},
    outputs: {},
  };
  const onEvent = (event: EngineEvent) => recordEvent(report, event);
  const onOutput = (text: string) => process.stdout.write(text);
  const common = {
    onOutput,
    onEvent,
    ...(args.verboseLogs
      ? {
          logVerbosity: 9,
          logFlow: true,
          logToStdErr: true,
          onError: (text: string) => process.stderr.write(text),
        }
      : {}),
    ...(args.parallel ? { parallel: args.parallel } : {}),
    ...(args.target?.length ? { target: args.target } : {}),
  };
  try {
    if (args.command === "preview") {
      await stack.preview({
        ...common,
        diff: args.diff,
        expectNoChanges: args.expectNoChanges,
        refresh: args.refresh,
        replace: args.replace,
      });
    } else if (args.command === "up") {
      const result = await stack.up({
        ...common,
        diff: args.diff,
        expectNoChanges: args.expectNoChanges,
        refresh: args.refresh,
        replace: args.replace,
      });
      report.outputs = Object.fromEntries(
        Object.entries(result.outputs).map(([k, v]) => [
          k,
          v.secret ? "[secret]" : v.value,
        ]),
      );
    } else if (args.command === "refresh") {
      const options = {
        ...common,
        runProgram: args.runProgram,
        expectNoChanges: args.expectNoChanges,
      };
      await (args.previewOnly
        ? stack.previewRefresh(options)
        : stack.refresh(options));
    } else {
      const options = { ...common, runProgram: args.runProgram };
      await (args.previewOnly
        ? stack.previewDestroy(options)
        : stack.destroy(options));
    }
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
    process.exitCode = 1;
  } finally {
    fs.writeFileSync(args.result, JSON.stringify(report));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
