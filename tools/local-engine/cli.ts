// Usage: ts-node tools/local-engine/cli.ts <preview|up|refresh|destroy> [--stack NAME] [--cwd DIR] [--parallel N]
import { runEngine, type Command } from "./engine";

const USAGE =
  "usage: local-engine <preview|up|refresh|destroy> [--stack NAME] [--cwd DIR] [--parallel N]";
const COMMANDS = new Set(["preview", "up", "refresh", "destroy"]);

export function parseArgs(argv: string[]): {
  command: Command;
  stack: string;
  cwd: string;
  parallel?: number;
} {
  let command: string | undefined;
  let stack = process.env.PULUMI_STACK ?? "dev";
  let cwd = process.cwd();
  let parallel: number | undefined;
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
    if (flag === "--stack" || flag === "-s") stack = value();
    else if (flag === "--cwd" || flag === "-C") cwd = value();
    else if (flag === "--parallel" || flag === "-p") {
      parallel = Number(value());
      if (!Number.isInteger(parallel) || parallel < 1) {
        throw new Error(`--parallel needs a positive integer\n${USAGE}`);
      }
    } else if (flag === "--yes" || flag === "-y" || flag === "--skip-preview")
      continue;
    else if (!flag?.startsWith("-") && command === undefined) command = flag;
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (!command || !COMMANDS.has(command)) throw new Error(USAGE);
  return {
    command: command as Command,
    stack,
    cwd,
    ...(parallel ? { parallel } : {}),
  };
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
