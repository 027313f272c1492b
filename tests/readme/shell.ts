// The commands of a shell block, and the rule each must meet. A block is checked command by
// command: npm scripts and packages exist in package.json; `pulumi config set` names a key the
// provider (or a README program) reads, as a secret where it is one; every `pulumi` command and
// flag exists in the pinned CLI (its own --help says); `export` names variables the provider or
// the CLI reads; `pulumi import` is left to the test that has the plugin read the id.
// A command no rule knows fails: give it a rule here, or mark the block `skip` with a reason.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot, type PulumiBinary } from "../../tools/pulumi-cli";
import {
  configKeyProblem,
  providerEnvironment,
  type ProjectKey,
  type Schema,
} from "./config-keys";

/**
 * The block's commands as argument lists: `\` continues a line, `#` starts a comment, `&&`,
 * `||` and `;` separate commands, quotes group, and a `<placeholder>` is one word.
 */
export function commandsOf(code: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const text = code.replace(/\\\n/g, " ");
  const end = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    end();
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      if (close === -1) throw new Error(`an unclosed ${c} in: ${code}`);
      word = (word ?? "") + text.slice(i + 1, close);
      i = close;
    } else if (c === "<" && word === undefined) {
      const close = text.indexOf(">", i + 1);
      if (close === -1) throw new Error(`an unclosed < in: ${code}`);
      word = text.slice(i, close + 1);
      i = close;
    } else if (c === "#" && word === undefined) {
      while (i < text.length && text[i] !== "\n") i++;
      endCommand();
    } else if (c === "\n" || c === ";") {
      endCommand();
    } else if ((c === "&" || c === "|") && text[i + 1] === c) {
      endCommand();
      i++;
    } else if (/\s/.test(c)) {
      end();
    } else {
      word = (word ?? "") + c;
    }
  }
  endCommand();
  // A console block's prompt.
  return commands.map((argv) => (argv[0] === "$" ? argv.slice(1) : argv));
}

export interface ShellContext {
  schema: Schema;
  projects: Map<string, ProjectKey>;
  cli: PulumiBinary;
}

interface PackageJson {
  name: string;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const manifest = (): PackageJson =>
  JSON.parse(
    fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8"),
  ) as PackageJson;

/** A command's usage line, its flags and its other names. */
interface Help {
  usage: string;
  flags: Set<string>;
  aliases: string[];
}

const helpCache = new Map<string, Help>();

/** What the pinned CLI's --help says about the command `argv` starts: its path and its flags. */
export function cliHelp(cli: PulumiBinary, argv: string[]): Help {
  const positional = argv.filter((a) => !a.startsWith("-"));
  const key = positional.join(" ");
  const cached = helpCache.get(key);
  if (cached) return cached;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "readme-cli-home-"));
  let text: string;
  try {
    text = execFileSync(cli.path, [...positional, "--help"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PULUMI_HOME: home,
        PULUMI_SKIP_UPDATE_CHECK: "true",
      },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(
      `pulumi ${key} --help failed: ${failed.stderr ?? ""}${failed.stdout ?? ""}`,
    );
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  const usage = /Usage:\s*\n\s*(.*)/.exec(text)?.[1]?.trim() ?? "";
  const flags = new Set<string>();
  for (const match of text.matchAll(/^\s+(?:-(\w), )?--([\w-]+)/gm)) {
    if (match[1]) flags.add(`-${match[1]}`);
    flags.add(`--${match[2]}`);
  }
  // Cobra's "Aliases:" line names the command's other names (`plugin list, ls`).
  const aliases =
    /Aliases:\s*\n\s*(.*)/
      .exec(text)?.[1]
      ?.split(",")
      .map((a) => a.trim()) ?? [];
  const help = { usage, flags, aliases };
  helpCache.set(key, help);
  return help;
}

/** The `pulumi` subcommand words of `argv` (`config set`), as the CLI's usage line names them. */
export function pulumiSubcommand(cli: PulumiBinary, argv: string[]): string[] {
  const { usage } = cliHelp(cli, argv.slice(1));
  const words = usage.split(/\s+/);
  const path: string[] = [];
  for (const word of words.slice(1)) {
    if (!/^[a-z][\w-]*$/.test(word)) break;
    path.push(word);
  }
  return path;
}

/** Why `argv` would not do what the README says, or undefined. */
export function commandProblem(
  argv: string[],
  context: ShellContext,
): string | undefined {
  const [command, ...args] = argv;
  const text = argv.join(" ");
  const fail = (why: string) => `\`${text}\`: ${why}`;
  switch (command) {
    case "npm": {
      const pkg = manifest();
      const [sub, ...rest] = args;
      const operands = rest.filter((a) => !a.startsWith("-"));
      if (sub === "ci") return undefined;
      if (sub === "test" || sub === "t")
        return pkg.scripts.test
          ? undefined
          : fail("package.json has no test script");
      if (sub === "run" || sub === "run-script") {
        const script = operands[0];
        return script && pkg.scripts[script]
          ? undefined
          : fail(`package.json has no script ${script}`);
      }
      if (sub === "install" || sub === "i" || sub === "add") {
        const known = new Set([
          pkg.name,
          ...Object.keys(pkg.dependencies ?? {}),
          ...Object.keys(pkg.peerDependencies ?? {}),
          ...Object.keys(pkg.devDependencies ?? {}),
        ]);
        for (const operand of operands) {
          if (operand.startsWith(".") || operand.startsWith("/")) {
            if (!fs.existsSync(path.join(repositoryRoot, operand)))
              return fail(`${operand} does not exist in this repository`);
            continue;
          }
          const name = operand.replace(/(?!^)@.*$/, "");
          if (!known.has(name))
            return fail(
              `${name} is neither this package nor one of its dependencies`,
            );
        }
        return undefined;
      }
      return fail(`no rule for npm ${sub} (tests/readme/shell.ts)`);
    }
    case "export": {
      const environment = providerEnvironment();
      for (const assignment of args) {
        const name = assignment.split("=")[0]!;
        if (name.startsWith("GITHUB_")) {
          if (!environment.has(name))
            return fail(
              `the provider reads no ${name} (it reads ${[...environment].join(", ")})`,
            );
        } else if (name.startsWith("PULUMI_")) {
          if (!cliMentions(context.cli, name))
            return fail(`the pinned Pulumi CLI never mentions ${name}`);
        } else {
          return fail(`${name} is read neither by the provider nor by Pulumi`);
        }
      }
      return undefined;
    }
    case "pulumi":
      return pulumiProblem(argv, context);
    case "pip":
    case "pip3":
      return pipProblem(args, fail);
    case "python":
    case "python3":
      return args[0] === "-m" && (args[1] === "pip" || args[1] === "venv")
        ? args[1] === "pip"
          ? pipProblem(args.slice(2), fail)
          : undefined
        : fail("no rule for python other than -m pip and -m venv");
    case "go":
      return goProblem(args, fail);
    case "cd":
      return undefined;
    default:
      return fail(
        `no rule for ${command} (tests/readme/shell.ts): add one, or mark the block skip with a reason`,
      );
  }
}

/** `pip install`: a folder of this repository with a Python project, or a package we pin. */
function pipProblem(
  args: string[],
  fail: (why: string) => string,
): string | undefined {
  if (args[0] !== "install") return fail(`no rule for pip ${args[0]}`);
  const pinned = fs
    .readFileSync(
      path.join(repositoryRoot, "tools", "python-env", "requirements.txt"),
      "utf8",
    )
    .split("\n")
    .map(
      (line) =>
        line
          .replace(/#.*/, "")
          .trim()
          .split(/[=<>~!]/)[0]!,
    )
    .filter(Boolean);
  for (const operand of args.slice(1).filter((a) => !a.startsWith("-"))) {
    if (/^[./]/.test(operand)) {
      const dir = path.join(repositoryRoot, operand);
      if (
        !["pyproject.toml", "setup.py"].some((f) =>
          fs.existsSync(path.join(dir, f)),
        )
      )
        return fail(`${operand} is no Python project of this repository`);
    } else if (!pinned.includes(operand.split(/[=<>~!]/)[0]!)) {
      return fail(
        `${operand} is not what tools/python-env pins (${pinned.join(", ")})`,
      );
    }
  }
  return undefined;
}

/** `go get MODULE[@version]`: the Go SDK's module (or a package of it), or one a test module requires. */
function goProblem(
  args: string[],
  fail: (why: string) => string,
): string | undefined {
  if (args[0] !== "get") return fail(`no rule for go ${args[0]}`);
  const sdk = /^module\s+(\S+)/m.exec(
    fs.readFileSync(path.join(repositoryRoot, "sdk", "go", "go.mod"), "utf8"),
  )![1]!;
  const required = fs.readFileSync(
    path.join(repositoryRoot, "tests", "native", "go", "go.mod"),
    "utf8",
  );
  for (const operand of args.slice(1).filter((a) => !a.startsWith("-"))) {
    const module = operand.replace(/@.*$/, "");
    if (
      module !== sdk &&
      !module.startsWith(`${sdk}/`) &&
      !new RegExp(`^\\s*${module.replace(/[.]/g, "\\.")}\\s`, "m").test(
        required,
      )
    )
      return fail(
        `${module} is neither the Go SDK (${sdk}) nor a module tests/native/go requires`,
      );
  }
  return undefined;
}

function cliMentions(cli: PulumiBinary, name: string): boolean {
  try {
    execFileSync("grep", ["-q", "-a", "-F", name, cli.path]);
    return true;
  } catch {
    return false;
  }
}

/** Flags of `pulumi` that take a value (the value is not a positional argument). */
const valueFlags = new Set(["--stack", "-s", "--cwd", "-C", "--config-file"]);

function pulumiProblem(
  argv: string[],
  context: ShellContext,
): string | undefined {
  const text = argv.join(" ");
  const fail = (why: string) => `\`${text}\`: ${why}`;
  let help: Help;
  try {
    help = cliHelp(context.cli, argv.slice(1));
  } catch (error) {
    return fail((error as Error).message);
  }
  const subcommand = pulumiSubcommand(context.cli, argv);
  const positional = argv.slice(1).filter((a) => !a.startsWith("-"));
  // The last word may be one of the command's aliases (`pulumi plugin ls`).
  const named = (words: string[]) =>
    words.length === subcommand.length &&
    words.slice(0, -1).join(" ") === subcommand.slice(0, -1).join(" ") &&
    (words.at(-1) === subcommand.at(-1) ||
      help.aliases.includes(words.at(-1) ?? ""));
  if (subcommand.length === 0 || !named(positional.slice(0, subcommand.length)))
    return fail(`the pinned CLI has no command ${positional.join(" ")}`);
  for (const flag of argv.filter((a) => a.startsWith("-"))) {
    const name = flag.replace(/=.*$/, "");
    if (!help.flags.has(name))
      return fail(`pulumi ${subcommand.join(" ")} has no flag ${name}`);
  }
  const set = configSetOf(argv);
  if (set) {
    const { key } = set;
    if (!key) return fail("no key");
    const problem = configKeyProblem(
      {
        key,
        path: argv.includes("--path"),
        secret: argv.includes("--secret"),
      },
      context.schema,
      context.projects,
    );
    return problem && fail(problem);
  }
  return undefined;
}

/** `pulumi import TYPE NAME ID`: its operands, for the test that has the plugin read the id. */
export function importOf(
  argv: string[],
): { type: string; name: string; id: string } | undefined {
  if (argv[0] !== "pulumi" || argv[1] !== "import") return undefined;
  const operands = argv.slice(2).filter((a) => !a.startsWith("-"));
  if (operands.length < 3) return undefined;
  const [type, name, id] = operands as [string, string, string];
  return { type, name, id };
}

export interface ConfigSet {
  /** --secret, --path, --plaintext… (not --stack: the caller's stack is used). */
  flags: string[];
  key: string;
  /** As the README writes it; undefined when the command reads it from standard input. */
  value: string | undefined;
}

/** A `pulumi config set` command's parts, or undefined for another command. */
export function configSetOf(argv: string[]): ConfigSet | undefined {
  if (argv[0] !== "pulumi" || argv[1] !== "config" || argv[2] !== "set")
    return undefined;
  const flags: string[] = [];
  const operands: string[] = [];
  const rest = argv.slice(3);
  for (let i = 0; i < rest.length; i++) {
    if (valueFlags.has(rest[i]!)) i++;
    else if (rest[i]!.startsWith("-")) flags.push(rest[i]!);
    else operands.push(rest[i]!);
  }
  return { flags, key: operands[0]!, value: operands[1] };
}

/**
 * A value for a README placeholder, shaped like what it stands for: `github_pat_…` becomes a
 * token of that prefix (the CLI judges by a value's look whether it seems a secret), `<your
 * organization>` a plain word. Other values are the README's own.
 */
export function standIn(value: string): string {
  if (/^<.*>$/.test(value)) return "readme-placeholder";
  const ellipsis = value.indexOf("…");
  if (ellipsis === -1) return value;
  let random = "";
  const alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (let i = 0; i < 40; i++)
    random += alphabet[Math.floor(Math.random() * alphabet.length)];
  return `${value.slice(0, ellipsis)}${random}`;
}

/** The packages the README's `npm install` commands install (what a user's project then has). */
export function npmInstalled(blocks: { code: string }[]): string[] {
  const names = new Set<string>();
  for (const block of blocks)
    for (const argv of commandsOf(block.code))
      if (argv[0] === "npm" && ["install", "i", "add"].includes(argv[1] ?? ""))
        for (const operand of argv.slice(2))
          if (!operand.startsWith("-") && !/^[./]/.test(operand))
            names.add(operand.replace(/(?!^)@.*$/, ""));
  return [...names];
}
