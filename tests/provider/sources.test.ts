// valueFrom sources read as the provider reads them: a variable, a file, a key of a dotenv file,
// a command (no shell, in the program's folder, with the process's environment, stdout less one
// trailing newline), each bad source a message naming it and never a value or a command's output.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  checkValueSource,
  describeSource,
  SourceError,
  SourceReader,
} from "../../provider/sources";
import { maxValueBytes, type ValueSource } from "../../provider/types";
import { leaksIn } from "../support/leaks";

const value = "sources-test-value-\u2713-42";
const printed = "printed-by-the-command-never-shown";
let folder: string;
let reader: SourceReader;

beforeAll(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "sources-"));
  fs.mkdirSync(path.join(folder, "secrets"));
  fs.writeFileSync(path.join(folder, "secrets", "deploy.pem"), `${value}\n`);
  fs.writeFileSync(
    path.join(folder, ".env.prod"),
    `# comment\nDB_URL="${value}"\nOTHER=x\n`,
  );
  fs.writeFileSync(path.join(folder, "empty"), "");
  fs.writeFileSync(path.join(folder, "big"), "x".repeat(maxValueBytes + 1));
  reader = new SourceReader(folder, {
    PATH: process.env.PATH,
    DEPLOY_KEY: value,
    EMPTY: "",
    HUGE: "é".repeat(maxValueBytes / 2 + 1),
  });
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const node = (script: string, ...args: string[]) => ({
  command: [process.execPath, "-e", script, ...args],
});

describe("reads", () => {
  test.each<[string, ValueSource, string]>([
    ["a variable of the process", { env: "DEPLOY_KEY" }, value],
    [
      "a whole file, as it is (its newline kept)",
      { file: "secrets/deploy.pem" },
      `${value}\n`,
    ],
    ["a key of a dotenv file", { file: ".env.prod", key: "DB_URL" }, value],
    [
      "a command's output less one trailing newline",
      node("process.stdout.write(process.argv[1] + '\\n\\n')", value),
      `${value}\n`,
    ],
    [
      "a command in the program's folder, with the process's environment",
      node(
        "process.stdout.write(require('fs').readFileSync('secrets/deploy.pem', 'utf8').trim() + process.env.DEPLOY_KEY.length)",
      ),
      `${value}${value.length}`,
    ],
    [
      "a command without a shell: $VAR and quotes reach it as written",
      node(
        "process.stdout.write(process.argv.slice(1).join('|'))",
        "$HOME",
        "'a b'",
      ),
      "$HOME|'a b'",
    ],
  ])("%s", async (_, source, expected) => {
    expect(await reader.read(source)).toBe(expected);
  });

  test("an absolute path is read as it is", async () => {
    expect(
      await reader.read({ file: path.join(folder, "secrets", "deploy.pem") }),
    ).toBe(`${value}\n`);
  });

  test("a command runs once per process, however many ask", async () => {
    const counter = path.join(folder, "runs");
    const source = node(
      "const fs = require('fs'); fs.appendFileSync(process.argv[1], 'x'); process.stdout.write('counted')",
      counter,
    );
    await Promise.all([reader.read(source), reader.read(source)]);
    await reader.read(source);
    expect(fs.readFileSync(counter, "utf8")).toBe("x");
  });
});

describe("a bad source: the source named, never a value or the command's output", () => {
  test.each<[string, ValueSource, RegExp]>([
    [
      "an unset variable",
      { env: "NOT_SET_ANYWHERE" },
      /^environment variable NOT_SET_ANYWHERE is not set in the environment of the pulumi process$/,
    ],
    [
      "an empty variable",
      { env: "EMPTY" },
      /^environment variable EMPTY holds an empty value \(GitHub stores no empty secrets\)$/,
    ],
    [
      "a value over 48 KB",
      { env: "HUGE" },
      /^environment variable HUGE holds 49154 bytes; GitHub's limit is 48 KB \(49152 bytes of UTF-8\)$/,
    ],
    [
      "a missing file",
      { file: "secrets/missing.pem" },
      /^file secrets\/missing\.pem \(.*\/secrets\/missing\.pem\) does not exist \(relative paths are read from the folder Pulumi runs the program in\)$/,
    ],
    ["a folder", { file: "secrets" }, /^file secrets \(.*\) is a folder$/],
    ["an empty file", { file: "empty" }, /^file empty holds an empty value/],
    [
      "a file over 48 KB",
      { file: "big" },
      /^file big \(.*\) holds 49153 bytes; GitHub's limit is 48 KB/,
    ],
    [
      "a missing key",
      { file: ".env.prod", key: "NOPE" },
      /^file \.env\.prod \(.*\) has no key NOPE$/,
    ],
    [
      "a failing command",
      node(
        "process.stdout.write(process.argv[1]); process.stderr.write(process.argv[1]); process.exit(3)",
        printed,
      ),
      /^command .*node exited with status 3 \(its output is not shown\)$/,
    ],
    [
      "a command that prints nothing",
      node("process.stdout.write('\\n')"),
      /^command .*node printed nothing$/,
    ],
    [
      "a command not on PATH",
      { command: ["no-such-program-anywhere", printed] },
      /^command no-such-program-anywhere was not found \(it runs without a shell/,
    ],
    [
      "a hanging command",
      {
        ...node(
          "process.stdout.write(process.argv[1]); setInterval(() => {}, 1000)",
          printed,
        ),
        timeoutSeconds: 1,
      },
      /^command .*node did not finish within 1 s \(valueFrom\.timeoutSeconds\) and was stopped$/,
    ],
    [
      "a command printing more than 48 KB",
      node("process.stdout.write('y'.repeat(60000))"),
      /^command .*node printed more than 48 KB \(49152 bytes\), GitHub's limit for a secret, and was stopped$/,
    ],
  ])("%s", async (_, source, message) => {
    const error = await reader.read(source).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(message);
    expect(leaksIn((error as Error).message, [value, printed])).toEqual([]);
  });

  test("a hanging command's own children are stopped with it", async () => {
    const marker = path.join(folder, "child-alive");
    // The child writes the marker a second after the command was stopped, unless it was too.
    const source = {
      ...node(
        `require('child_process').spawn(process.execPath, ['-e', "setTimeout(() => require('fs').writeFileSync(process.argv[1], 'alive'), 2000)", process.argv[1]], { stdio: 'inherit' }); setInterval(() => {}, 1000)`,
        marker,
      ),
      timeoutSeconds: 1,
    };
    await expect(reader.read(source)).rejects.toThrow(/did not finish/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fs.existsSync(marker)).toBe(false);
  });

  test("a failure is not kept: the source is read again", async () => {
    const file = path.join(folder, "later");
    await expect(reader.read({ file })).rejects.toThrow(/does not exist/);
    fs.writeFileSync(file, value);
    expect(await reader.read({ file })).toBe(value);
  });
});

describe("shape", () => {
  const failuresOf = (raw: unknown) => {
    const failures: string[] = [];
    const source = checkValueSource(raw, (property, reason) =>
      failures.push(`${property}: ${reason}`),
    );
    return { source, failures };
  };

  test.each<[string, unknown, RegExp]>([
    ["a string", "DEPLOY_KEY", /valueFrom must be one of \{ env: NAME \}/],
    ["no source", {}, /valueFrom must name exactly one source/],
    [
      "two sources",
      { env: "A", file: "b" },
      /exactly one source.*; it names env and file$/,
    ],
    ["an empty variable name", { env: "" }, /valueFrom\.env must be the name/],
    [
      "key with env",
      { env: "A", key: "B" },
      /valueFrom with env takes env, not key$/,
    ],
    [
      "timeoutSeconds with a file",
      { file: "a", timeoutSeconds: 3 },
      /valueFrom with file takes file and key, not timeoutSeconds$/,
    ],
    [
      "a command as one string",
      { command: "op read op://x" },
      /valueFrom\.command must be a list of strings, the program first/,
    ],
    ["an empty command", { command: [] }, /valueFrom\.command must be a list/],
    [
      "a zero timeout",
      { command: ["op"], timeoutSeconds: 0 },
      /valueFrom\.timeoutSeconds must be a number of seconds above 0/,
    ],
    ["an empty key", { file: ".env", key: "" }, /valueFrom\.key must be/],
  ])("%s fails", (_, raw, message) => {
    const { source, failures } = failuresOf(raw);
    expect(source).toBeUndefined();
    expect(failures).toEqual([expect.stringMatching(/^valueFrom: /)]);
    expect(failures[0]).toMatch(message);
  });

  test("good shapes pass; check's own revision and empty fields are dropped", () => {
    expect(failuresOf({ env: "A", revision: 3 })).toEqual({
      source: { env: "A" },
      failures: [],
    });
    expect(failuresOf({ file: "a", key: null })).toEqual({
      source: { file: "a" },
      failures: [],
    });
    expect(
      failuresOf({ command: ["op", "read"], timeoutSeconds: 5 }).source,
    ).toEqual({ command: ["op", "read"], timeoutSeconds: 5 });
  });

  test("a command is named by its program only", () => {
    expect(
      describeSource({ command: ["op", "read", "op://ci/deploy/key"] }),
    ).toBe("command op");
    expect(describeSource({ file: ".env", key: "A" })).toBe(
      "key A of file .env",
    );
  });
});
