// A Python for the tests' Python programs: a virtualenv with the pinned Pulumi SDK
// (requirements.txt beside this file) and the generated SDK of this repository (sdk/python,
// installed as a user installs it: `pip install ./sdk/python`, not editable). Made once in the
// git-ignored .cache/python/venv and reused while its stamp still matches: a hash of
// requirements.txt, every file of sdk/python and the interpreter it was made with. Nothing of it is
// committed; PyPI serves the packages, pip's own cache makes a rebuild quicker.
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const here = __dirname;
const repositoryRoot = path.resolve(here, "../..");
export const requirementsFile = path.join(here, "requirements.txt");
export const sdkDir = path.join(repositoryRoot, "sdk", "python");
export const venvDir = path.join(repositoryRoot, ".cache", "python", "venv");
/** Written last: a folder without it is a build that did not finish. */
const stampFile = path.join(venvDir, "github-secrets.stamp");
const lockFile = `${venvDir}.lock`;

export interface PythonEnvOptions {
  /** The interpreter to make the virtualenv with; default python3 on PATH. */
  python?: string;
  log?: (line: string) => void;
}

/** What Python or pip leave in a source folder (sdk/python's .gitignore): not the SDK's files. */
function isBuildLeftover(name: string): boolean {
  return (
    ["__pycache__", ".mypy_cache", "build", "dist"].includes(name) ||
    name.endsWith(".egg-info") ||
    name.endsWith(".pyc")
  );
}

/** sdk/python's files, relative, sorted. */
function sdkFiles(dir = sdkDir, prefix = ""): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (isBuildLeftover(entry.name)) continue;
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory())
      files.push(...sdkFiles(path.join(dir, entry.name), relative));
    else if (entry.isFile()) files.push(relative);
  }
  return files.sort();
}

function stampOf(python: string, files: string[]): string {
  const hash = crypto.createHash("sha256");
  const add = (label: string, content: string | Buffer) => {
    hash.update(`${label}\0${content.length}\0`);
    hash.update(content);
  };
  // The interpreter: a virtualenv is bound to the Python it was made with.
  let interpreter: string;
  try {
    interpreter = execFileSync(
      python,
      ["-c", "import sys; print(sys.executable, sys.version)"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
  } catch (error) {
    throw new Error(
      `no Python to make the virtualenv with (${python}: ${(error as Error).message}): install Python 3.9 or later`,
    );
  }
  add("python", interpreter);
  add("requirements", fs.readFileSync(requirementsFile));
  for (const file of files)
    add(`sdk/${file}`, fs.readFileSync(path.join(sdkDir, file)));
  return hash.digest("hex");
}

function venvPython(): string {
  return process.platform === "win32"
    ? path.join(venvDir, "Scripts", "python.exe")
    : path.join(venvDir, "bin", "python");
}

function isCurrent(stamp: string): boolean {
  try {
    return (
      fs.readFileSync(stampFile, "utf8") === stamp &&
      fs.existsSync(venvPython())
    );
  } catch {
    return false;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One builder at a time (jest workers may get here at once); a dead builder's lock is taken over. */
function withLock<T>(work: () => T): T {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lockFile, "utf8"));
      let alive = false;
      try {
        process.kill(holder, 0);
        alive = holder > 0;
      } catch {
        // No such process: its lock is stale.
      }
      if (alive) sleep(250);
      else fs.rmSync(lockFile, { force: true });
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

/** A command's output, shown only when it fails. */
function quietly(command: string, args: string[], what: string): void {
  try {
    execFileSync(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${what} failed: ${command} ${args.join(" ")}\n${failed.stdout ?? ""}${failed.stderr ?? ""}`,
    );
  }
}

function build(python: string, files: string[], stamp: string): void {
  fs.rmSync(venvDir, { recursive: true, force: true });
  try {
    quietly(
      python,
      ["-m", "venv", venvDir],
      `making the virtualenv (Debian and Ubuntu ship venv and ensurepip apart: apt-get install python3-venv)`,
    );
  } catch (error) {
    fs.rmSync(venvDir, { recursive: true, force: true });
    throw error;
  }
  // Installed from a copy: pip builds a source folder in place (build/, *.egg-info), and
  // sdk/python is the generator's.
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi_github_secrets-"));
  try {
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(path.join(sdkDir, file), path.join(copy, file));
    }
    quietly(
      venvPython(),
      [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-input",
        "--disable-pip-version-check",
        "-r",
        requirementsFile,
        copy,
      ],
      "installing the pinned Pulumi SDK and sdk/python",
    );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  fs.writeFileSync(stampFile, stamp);
}

/**
 * The virtualenv's python, with `pulumi` (pinned in requirements.txt) and `pulumi_github_secrets`
 * (sdk/python) installed; made or remade first when sdk/python, the pins or the interpreter changed.
 */
export function pythonEnv(options: PythonEnvOptions = {}): string {
  const python = options.python ?? "python3";
  const log =
    options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const files = sdkFiles();
  const stamp = stampOf(python, files);
  if (isCurrent(stamp)) return venvPython();
  return withLock(() => {
    // Another process may have made it while this one waited.
    if (isCurrent(stamp)) return venvPython();
    const pins = fs
      .readFileSync(requirementsFile, "utf8")
      .split("\n")
      .filter((line) => line.trim() && !line.trim().startsWith("#"))
      .join(", ");
    log(
      `making the Python virtualenv ${path.relative(repositoryRoot, venvDir)} (${pins}, sdk/python), once until they change…`,
    );
    build(python, files, stamp);
    return venvPython();
  });
}
