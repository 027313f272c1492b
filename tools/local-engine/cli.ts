// Usage: ts-node tools/local-engine/cli.ts <preview|up|refresh|destroy> [flags]: the flags of
// `pulumi` that change what a dynamic provider sees, with the CLI's names.
import { runEngine } from "./engine";
import type { Command, RunEngineOptions } from "./types";

const USAGE =
  "usage: local-engine <preview|up|refresh|destroy> [--stack NAME] [--cwd DIR] [--parallel N] " +
  "[--skip-preview] [--refresh] [--run-program] [--target URN]… [--target-dependents] [--replace URN]… [--yes]";
const COMMANDS = new Set(["preview", "up", "refresh", "destroy"]);

type CliOptions = Pick<
  RunEngineOptions,
  | "command"
  | "stack"
  | "cwd"
  | "parallel"
  | "skipPreview"
  | "refresh"
  | "runProgram"
  | "targets"
  | "targetDependents"
  | "replace"
>;

export function parseArgs(argv: string[]): CliOptions {
  let command: string | undefined;
  const out: Omit<CliOptions, "command"> = {
    stack: process.env.PULUMI_STACK ?? "dev",
    cwd: process.cwd(),
  };
  const list = (key: "targets" | "replace", v: string) =>
    (out[key] = [...(out[key] ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? a.split(/=(.*)/s)
        : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === "--stack" || flag === "-s") out.stack = value();
    else if (flag === "--cwd" || flag === "-C") out.cwd = value();
    else if (flag === "--parallel" || flag === "-p") {
      const parallel = Number(value());
      if (!Number.isInteger(parallel) || parallel < 1) {
        throw new Error(`--parallel needs a positive integer\n${USAGE}`);
      }
      out.parallel = parallel;
    } else if (flag === "--target" || flag === "-t") list("targets", value());
    else if (flag === "--replace") list("replace", value());
    else if (flag === "--target-dependents") out.targetDependents = true;
    else if (flag === "--skip-preview" || flag === "-f") out.skipPreview = true;
    else if (flag === "--refresh" || flag === "-r") out.refresh = true;
    else if (flag === "--run-program") out.runProgram = true;
    // Non-interactive already: the preview is shown, then applied, as with --yes.
    else if (flag === "--yes" || flag === "-y") continue;
    else if (!flag?.startsWith("-") && command === undefined) command = flag;
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!command || !COMMANDS.has(command)) throw new Error(USAGE);
  return { command: command as Command, ...out };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
    return;
  }
  const result = await runEngine({
    ...args,
    onOutput: (line) => console.log(line),
  });
  process.exitCode = result.exitCode;
}

if (require.main === module) void main();
