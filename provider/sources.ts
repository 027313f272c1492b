// `valueFrom`: a secret's value read by the provider when it needs it, from where the user already
// keeps it (an environment variable, a file, a key of a dotenv file, a command such as `op read`),
// so it never becomes an input, an output or a line of the state. This module checks a source's
// shape, names it for messages, and reads it. No message ever holds a value, a file's content or
// a command's output: only the source's own description (variable, path and key, argv[0], status).

import { spawn } from "node:child_process";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { parse } from "dotenv";
import {
  isUnknown,
  maxValueBytes,
  type CheckFailure,
  type CheckedValueSource,
  type ValueSource,
} from "./types";

/** How long a command may run, by default and at most. */
export const defaultTimeoutSeconds = 30;
const maxTimeoutSeconds = 3600;

/** A source that cannot give a value: its message names the source and the rule, never a value. */
export class SourceError extends Error {}

const fieldsOf = {
  env: ["env"],
  file: ["file", "key"],
  command: ["command", "timeoutSeconds"],
} as const;

/**
 * The shape rules of `valueFrom`: exactly one of env, file (with an optional key) and command
 * (with an optional timeoutSeconds). Returns the source without what check adds (revision), or
 * undefined after reporting a failure.
 */
export function checkValueSource(
  raw: unknown,
  fail: (property: string, reason: string) => void,
): ValueSource | undefined {
  const problem = (reason: string) => {
    fail("valueFrom", reason);
    return undefined;
  };
  const shapes =
    "{ env: NAME }, { file: PATH, key?: KEY } or { command: [ARGV0, ...ARGS], timeoutSeconds?: N }";
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return problem(`valueFrom must be one of ${shapes}`);
  const given = { ...(raw as Record<string, unknown>) };
  // Check's own bookkeeping from an earlier run, never the user's.
  delete given.revision;
  for (const [field, value] of Object.entries(given))
    if (value === undefined || value === null) delete given[field];
  const kinds = (Object.keys(fieldsOf) as (keyof typeof fieldsOf)[]).filter(
    (kind) => given[kind] !== undefined,
  );
  if (kinds.length !== 1)
    return problem(
      `valueFrom must name exactly one source: ${shapes}${kinds.length > 1 ? `; it names ${kinds.join(" and ")}` : ""}`,
    );
  const kind = kinds[0]!;
  const allowed: readonly string[] = fieldsOf[kind];
  const stray = Object.keys(given).filter((field) => !allowed.includes(field));
  if (stray.length > 0)
    return problem(
      `valueFrom with ${kind} takes ${allowed.join(" and ")}, not ${stray.join(", ")}`,
    );
  const text = (field: string) => {
    const value = given[field];
    return isUnknown(value) || (typeof value === "string" && value !== "");
  };
  switch (kind) {
    case "env":
      if (!text("env") || /[=\0]/.test(String(given.env)))
        return problem(
          "valueFrom.env must be the name of an environment variable",
        );
      return { env: given.env as string };
    case "file":
      if (!text("file") || String(given.file).includes("\0"))
        return problem("valueFrom.file must be a path");
      if (given.key !== undefined && !text("key"))
        return problem("valueFrom.key must be the name of a key of the file");
      return {
        file: given.file as string,
        ...(given.key !== undefined ? { key: given.key as string } : {}),
      };
    case "command": {
      const argv = given.command;
      if (
        !isUnknown(argv) &&
        (!Array.isArray(argv) ||
          argv.length === 0 ||
          argv.some((arg) => typeof arg !== "string" && !isUnknown(arg)) ||
          argv[0] === "")
      )
        return problem(
          'valueFrom.command must be a list of strings, the program first: ["op", "read", "op://vault/item/field"] (run without a shell)',
        );
      const timeout = given.timeoutSeconds;
      if (
        timeout !== undefined &&
        !isUnknown(timeout) &&
        (typeof timeout !== "number" ||
          !(timeout > 0) ||
          timeout > maxTimeoutSeconds)
      )
        return problem(
          `valueFrom.timeoutSeconds must be a number of seconds above 0, at most ${maxTimeoutSeconds}`,
        );
      return {
        command: argv as string[],
        ...(timeout !== undefined ? { timeoutSeconds: timeout as number } : {}),
      };
    }
  }
}

/** The source alone, without what check added to it (revision). */
export function sourceOf(checked: CheckedValueSource): ValueSource {
  if ("env" in checked) return { env: checked.env };
  if ("file" in checked)
    return {
      file: checked.file,
      ...(checked.key !== undefined ? { key: checked.key } : {}),
    };
  return {
    command: checked.command,
    ...(checked.timeoutSeconds !== undefined
      ? { timeoutSeconds: checked.timeoutSeconds }
      : {}),
  };
}

/**
 * Words for a source in messages: "environment variable DEPLOY_KEY", "file secrets/deploy.pem",
 * "key DB_URL of file .env.prod", "command op". A command is named by its program only: its
 * arguments are the user's, and may say more than a message should.
 */
export function describeSource(source: ValueSource): string {
  if ("env" in source) return `environment variable ${source.env}`;
  if ("file" in source)
    return source.key !== undefined
      ? `key ${source.key} of file ${source.file}`
      : `file ${source.file}`;
  return `command ${source.command[0]}`;
}

/** Whether a part of the source is not known yet (preview): it cannot be read now. */
export function sourceUnknown(source: ValueSource): boolean {
  return Object.values(source).some(isUnknown);
}

/** A check failure of `valueFrom` for a source that cannot give a value. */
export function sourceFailure(error: SourceError): CheckFailure {
  return { property: "valueFrom", reason: error.message };
}

/**
 * Commands still running (their process groups), stopped when the provider process is: the
 * engine interrupts a provider's process group when a run is cancelled (plugin.go: SIGINT, then
 * SIGKILL after 5 s), which does not reach a command in a group of its own.
 */
const runningGroups = new Set<number>();
function stopRunning(): void {
  for (const group of runningGroups) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  runningGroups.clear();
}
function onInterrupt(signal: NodeJS.Signals): void {
  stopRunning();
  unwatch();
  // What the signal would have done without this handler (or another handler's answer).
  process.kill(process.pid, signal);
}
function watch(): void {
  if (runningGroups.size > 0) return;
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onInterrupt);
  process.on("exit", stopRunning);
}
function unwatch(): void {
  process.off("SIGINT", onInterrupt);
  process.off("SIGTERM", onInterrupt);
  process.off("exit", stopRunning);
}

/**
 * Reads sources for one provider process: each source once (a command runs once per deployment,
 * however many resources or calls ask), relative paths and commands in `folder`, variables from
 * `env`. The engine starts every provider process, dynamic or plugin, in the folder it runs the
 * program in (pkg/engine/project.go getPwdMain: Pulumi.yaml's folder, or its `main` folder) with
 * the `pulumi` process's environment, so that is the folder the user's relative paths mean.
 */
export class SourceReader {
  private readonly values = new Map<string, Promise<string>>();

  constructor(
    private readonly folder: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The value the source holds, checked against GitHub's rules; rejects with a SourceError. */
  read(source: ValueSource): Promise<string> {
    const key = JSON.stringify(source);
    let value = this.values.get(key);
    if (!value) {
      value = this.readOnce(source);
      this.values.set(key, value);
      // A failure is not kept: a later call may find the variable set or the file written.
      value.catch(() => this.values.delete(key));
    }
    return value;
  }

  private async readOnce(source: ValueSource): Promise<string> {
    const value =
      "env" in source
        ? this.variable(source.env)
        : "file" in source
          ? await this.file(source.file, source.key)
          : await this.command(
              source.command,
              source.timeoutSeconds ?? defaultTimeoutSeconds,
            );
    const what = describeSource(source);
    if (value === "")
      throw new SourceError(
        `${what} holds an empty value (GitHub stores no empty secrets)`,
      );
    const bytes = Buffer.byteLength(value, "utf8");
    if (bytes > maxValueBytes)
      throw new SourceError(
        `${what} holds ${bytes} bytes; GitHub's limit is 48 KB (${maxValueBytes} bytes of UTF-8)`,
      );
    return value;
  }

  private variable(name: string): string {
    const value = this.env[name];
    if (value === undefined)
      throw new SourceError(
        `environment variable ${name} is not set in the environment of the pulumi process`,
      );
    return value;
  }

  private async file(file: string, key: string | undefined): Promise<string> {
    const where = path.resolve(this.folder, file);
    const what = `file ${file}${path.isAbsolute(file) ? "" : ` (${where})`}`;
    let text: string;
    try {
      const stat = await fs.stat(where);
      if (stat.isDirectory()) throw new SourceError(`${what} is a folder`);
      // A whole file is the value; a dotenv file may hold more than one.
      const limit = key === undefined ? maxValueBytes : 16 * maxValueBytes;
      if (stat.size > limit)
        throw new SourceError(
          key === undefined
            ? `${what} holds ${stat.size} bytes; GitHub's limit is 48 KB (${maxValueBytes} bytes of UTF-8)`
            : `${what} holds ${stat.size} bytes, too many for a dotenv file (at most ${limit})`,
        );
      text = await fs.readFile(where, "utf8");
    } catch (error) {
      if (error instanceof SourceError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new SourceError(
        code === "ENOENT"
          ? `${what} does not exist (relative paths are read from the folder Pulumi runs the program in)`
          : `${what} cannot be read (${code ?? "error"})`,
      );
    }
    if (key === undefined) return text;
    // dotenv's own parser, as SecretSet's envFile: KEY=value lines, quotes, comments.
    const entries = parse(text);
    if (!Object.prototype.hasOwnProperty.call(entries, key))
      throw new SourceError(`${what} has no key ${key}`);
    return entries[key]!;
  }

  /**
   * Runs a command without a shell and takes its standard output, less one trailing newline.
   * Its output and its standard error are never shown: a failure says only the program and how it
   * ended. The command runs in a process group of its own, so a timeout stops whatever it
   * started as well.
   */
  private command(argv: string[], timeoutSeconds: number): Promise<string> {
    const program = argv[0]!;
    const what = `command ${program}`;
    return new Promise((resolve, reject) => {
      const child = spawn(program, argv.slice(1), {
        cwd: this.folder,
        env: this.env,
        shell: false,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const group = child.pid;
      if (group !== undefined) {
        watch();
        runningGroups.add(group);
      }
      const done = () => {
        if (group === undefined || !runningGroups.delete(group)) return;
        if (runningGroups.size === 0) unwatch();
      };
      const chunks: Buffer[] = [];
      let bytes = 0;
      let ended: string | undefined;
      const stop = (reason: string) => {
        if (ended !== undefined) return;
        ended = reason;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      };
      const timer = setTimeout(
        () =>
          stop(
            `${what} did not finish within ${timeoutSeconds} s (valueFrom.timeoutSeconds) and was stopped`,
          ),
        timeoutSeconds * 1000,
      );
      child.stdout.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        // Room for the trailing newline the value loses.
        if (bytes > maxValueBytes + 2)
          stop(
            `${what} printed more than 48 KB (${maxValueBytes} bytes), GitHub's limit for a secret, and was stopped`,
          );
        else chunks.push(chunk);
      });
      // Drained, never kept: a command's errors may quote what it read.
      child.stderr.resume();
      child.on("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        done();
        reject(
          new SourceError(
            error.code === "ENOENT"
              ? `${what} was not found (it runs without a shell: give the program's name on PATH or its path)`
              : `${what} could not be started (${error.code ?? "error"})`,
          ),
        );
      });
      child.on("close", (status, signal) => {
        clearTimeout(timer);
        done();
        if (ended !== undefined) return reject(new SourceError(ended));
        if (signal !== null)
          return reject(new SourceError(`${what} was stopped by ${signal}`));
        if (status !== 0)
          return reject(
            new SourceError(
              `${what} exited with status ${status} (its output is not shown)`,
            ),
          );
        const output = Buffer.concat(chunks).toString("utf8");
        const value = output.replace(/\r?\n$/, "");
        if (value === "")
          return reject(new SourceError(`${what} printed nothing`));
        resolve(value);
      });
    });
  }
}
