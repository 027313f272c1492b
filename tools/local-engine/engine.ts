// The local engine: runs a Pulumi program with the real SDK in a child process, plans and applies
// steps against @pulumi/pulumi's dynamic-provider host, and keeps one checkpoint per stack.
// Test and demo tooling, not a replacement for the Pulumi CLI (see README.md).
import { fork, type ChildProcess } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ProviderError,
  startProviderHost,
  type ProviderHost,
} from "../provider-host";
import {
  loadProject,
  loadStackConfig,
  type Project,
  type StackConfig,
} from "./config";
import type { ChildMessage, ParentMessage, Registration } from "./protocol";
import {
  containsSecret,
  remark,
  secretKeys,
  UNKNOWN,
  unwrapProps,
} from "./secrets";
import { StateStore, type StackState, type StateResource } from "./state";

export type Command = "preview" | "up" | "refresh" | "destroy";

export type StepOp = "create" | "update" | "replace" | "delete" | "same";

export interface Step {
  /** For refresh: "update" = state changed to match reality, "delete" = the resource is gone. */
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** Replacements: whether the old resource was deleted before the new one was created. */
  deleteBeforeReplace?: boolean;
  /** Properties whose change forces the replacement. */
  replaces?: string[];
  error?: string;
}

export interface ResourceEvent {
  op: "create" | "update" | "delete" | "read";
  urn: string;
  type: string;
  name: string;
  /** The resource's id (update, delete, read). */
  id?: string;
  /** Plain inputs (secrets unwrapped). */
  inputs: Record<string, unknown>;
  /** Plain outputs in state (update, delete, read). */
  olds?: Record<string, unknown>;
  /** The stack config (namespaced keys), e.g. to read github:owner. */
  config: Record<string, string>;
}

/**
 * What a hook may answer for a non-dynamic resource: an id and outputs laid over the engine's
 * deterministic fakes. For "read", an `id` of "" means the resource is gone.
 */
export interface ResourceHookResult {
  id?: string;
  outputs?: Record<string, unknown>;
}

export type ResourceHook = (
  event: ResourceEvent,
) =>
  Promise<ResourceHookResult | void | null> | ResourceHookResult | void | null;

export interface RunEngineOptions {
  command: Command;
  /** The project folder (holds Pulumi.yaml); state goes to `<cwd>/.pulumi-local/stacks/`. */
  cwd: string;
  stack: string;
  /** Laid over process.env for config lookup, the program and the provider host. */
  env?: NodeJS.ProcessEnv;
  /** Maximum concurrent resource operations, like `pulumi up --parallel`; default unbounded. */
  parallel?: number;
  /**
   * Default 0: the checkpoint is written after every step. With n > 0, at most one write per n ms
   * and a last one when the run ends: each write seals and serializes the whole stack, so with
   * thousands of resources per-step writes cost O(N²) (benchmarks use this; a crash may lose the
   * last n ms of steps).
   */
  checkpointIntervalMs?: number;
  organization?: string;
  /** Called for every non-dynamic custom resource (e.g. @pulumi/github Repository), not in preview. */
  onResource?: ResourceHook;
  /** Receives every output line as it is produced. */
  onOutput?: (line: string) => void;
}

export interface EngineResult {
  exitCode: number;
  /** Everything the engine printed (plan, program output, errors, summary). */
  output: string;
  steps: Step[];
  /** The checkpoint as on disk (secrets are ciphertext envelopes); undefined if none exists. */
  state: StackState | undefined;
  /** Stack outputs in flight form (secrets as `{[SIG]: SECRET, value}`). */
  stackOutputs: Record<string, unknown>;
  /** What the provider host process printed (empty when no dynamic resource was involved). */
  hostOutput: string;
  errors: string[];
}

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";
const STACK_TYPE = "pulumi:pulumi:Stack";

class StepFailure extends Error {}

export async function runEngine(opts: RunEngineOptions): Promise<EngineResult> {
  const engine = new Engine(opts);
  return engine.run();
}

class Engine {
  private readonly env: NodeJS.ProcessEnv;
  private readonly lines: string[] = [];
  private readonly steps: Step[] = [];
  private readonly errors: string[] = [];
  private readonly limit: <T>(fn: () => Promise<T>) => Promise<T>;
  private project!: Project;
  private config!: StackConfig;
  private store!: StateStore;
  private hostPromise?: Promise<ProviderHost>;
  private host?: ProviderHost;
  private failed = false;
  private lastSave = 0;
  private saveTimer: NodeJS.Timeout | undefined;
  private stackOutputs: Record<string, unknown> = {};
  private readonly preview: boolean;

  constructor(private readonly opts: RunEngineOptions) {
    this.env = mergeEnv(process.env, opts.env);
    this.limit = limiter(
      opts.parallel && opts.parallel > 0 ? opts.parallel : Infinity,
    );
    this.preview = opts.command === "preview";
  }

  async run(): Promise<EngineResult> {
    const started = Date.now();
    let state: StackState | undefined;
    try {
      this.project = loadProject(this.opts.cwd);
      this.config = loadStackConfig(this.project, this.opts.stack, this.env);
      this.store = new StateStore(
        this.opts.cwd,
        this.project.name,
        this.opts.stack,
        this.env,
      );
      this.print(`${HEADINGS[this.opts.command]} (${this.opts.stack}):`);
      if (this.opts.command === "preview" || this.opts.command === "up")
        await this.deploy();
      else if (this.opts.command === "refresh") await this.refresh();
      else await this.destroy();
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    } finally {
      this.flush();
      if (this.host) await this.host.close();
      else if (this.hostPromise)
        await this.hostPromise.then((h) => h.close()).catch(() => {});
    }
    this.summary(Date.now() - started);
    if (this.store && fs.existsSync(this.store.file)) {
      state = JSON.parse(
        fs.readFileSync(this.store.file, "utf8"),
      ) as StackState;
    }
    return {
      exitCode: this.errors.length > 0 ? 1 : 0,
      output: this.lines.join("\n") + "\n",
      steps: this.steps,
      state,
      stackOutputs: this.stackOutputs,
      hostOutput: this.host?.output() ?? "",
      errors: this.errors,
    };
  }

  // ---- output -------------------------------------------------------------------------------

  private print(line: string): void {
    this.lines.push(line);
    this.opts.onOutput?.(line);
  }

  private fail(message: string): void {
    this.failed = true;
    this.errors.push(message);
    this.print(`error: ${message}`);
  }

  private record(step: Step): void {
    this.steps.push(step);
    if (step.op === "same" && !step.error) return;
    const verb = this.preview ? step.op : PAST[step.op];
    const sym = symbol(step);
    const detail = step.replaces?.length
      ? ` [diff: ${step.replaces.map((k) => `~${k}`).join(", ")}]`
      : "";
    const failed = step.error ? " **failed**" : "";
    this.print(
      `  ${sym.padEnd(3)}${step.type}  ${step.name}  ${verb}${detail}${failed}`,
    );
  }

  private summary(ms: number): void {
    const count = (pred: (s: Step) => boolean) =>
      this.steps.filter((s) => !s.error && pred(s)).length;
    const rows: [string, number, string][] = [
      [
        "+ ",
        count((s) => s.op === "create"),
        this.preview ? "to create" : "created",
      ],
      [
        "~ ",
        count((s) => s.op === "update"),
        this.preview ? "to update" : "updated",
      ],
      [
        "+-",
        count((s) => s.op === "replace"),
        this.preview ? "to replace" : "replaced",
      ],
      [
        "- ",
        count((s) => s.op === "delete"),
        this.preview ? "to delete" : "deleted",
      ],
    ];
    const outs = Object.entries(this.stackOutputs);
    if (outs.length > 0) {
      this.print("Outputs:");
      for (const [k, v] of outs) {
        const shown = containsSecret(v)
          ? "[secret]"
          : v === UNKNOWN
            ? "output<unknown>"
            : JSON.stringify(v);
        this.print(`    ${k}: ${shown}`);
      }
    }
    this.print("Resources:");
    for (const [sym, n, label] of rows)
      if (n > 0) this.print(`    ${sym}${n} ${label}`);
    const same = count((s) => s.op === "same");
    if (same > 0) this.print(`    ${same} unchanged`);
    if (this.errors.length > 0) this.print(`    ${this.errors.length} errored`);
    this.print(`Duration: ${(ms / 1000).toFixed(1)}s`);
  }

  // ---- provider host ------------------------------------------------------------------------

  private getHost(): Promise<ProviderHost> {
    this.hostPromise ??= (async () => {
      const host = await startProviderHost({
        cwd: this.project.dir,
        project: this.project.name,
        stack: this.opts.stack,
        organization: this.opts.organization ?? "organization",
        env: this.env,
      });
      this.host = host;
      await host.configure(this.config.values);
      return host;
    })();
    return this.hostPromise;
  }

  private save(): void {
    if (this.preview) return;
    const interval = this.opts.checkpointIntervalMs ?? 0;
    const wait = this.lastSave + interval - Date.now();
    if (interval <= 0 || wait <= 0) return this.writeCheckpoint();
    this.saveTimer ??= setTimeout(() => this.writeCheckpoint(), wait);
  }

  private writeCheckpoint(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.lastSave = Date.now();
    this.store.save();
  }

  /** Writes a checkpoint still pending under `checkpointIntervalMs`. */
  private flush(): void {
    if (this.saveTimer) this.writeCheckpoint();
  }

  // ---- preview / up -------------------------------------------------------------------------

  private async deploy(): Promise<void> {
    const registered = new Set<string>();
    const inflight: Promise<void>[] = [];
    let programErrors: string[] = [];

    const child = this.spawnProgram();
    // Start the provider host while the program loads (both take about a second).
    this.getHost().catch(() => {});
    const reply = (msg: ParentMessage) => {
      if (child.connected) child.send(msg);
    };
    child.on("error", (err) =>
      this.fail(`could not run the program: ${err.message}`),
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );

    child.on("message", (msg: ChildMessage) => {
      if (msg.t === "done") {
        programErrors = msg.errors;
        // A program that leaves handles open (timers, sockets) must not hang the engine.
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        child.once("exit", () => clearTimeout(timer));
        return;
      }
      if (msg.t === "outputs") {
        this.onOutputs(msg.urn, msg.outputs);
        return;
      }
      const urn = this.urnFor(msg);
      const p = (async () => {
        if (registered.has(urn))
          throw new StepFailure(`duplicate resource URN ${urn}`);
        registered.add(urn);
        if (this.failed)
          throw new StepFailure("skipped: an earlier step failed");
        const res = await this.register(urn, msg);
        reply({
          t: "registered",
          seq: msg.seq,
          urn,
          id: res.id,
          outputs: res.outputs,
        });
      })().catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        if (!(err instanceof StepFailure && message.startsWith("skipped")))
          this.fail(message);
        reply({ t: "failed", seq: msg.seq, message });
      });
      inflight.push(p);
    });

    const code = await exited;
    // Registrations may still be running when the child exits (it waits for none after an error).
    for (let i = 0; i < inflight.length; i++) await inflight[i];

    if (this.failed) return;
    if (programErrors.length > 0 || code !== 0) {
      const why =
        programErrors.length > 0
          ? programErrors.join("; ")
          : `exit code ${code}`;
      this.fail(`the program failed: ${why}`);
      return;
    }
    const leaving = this.store.state.resources.filter(
      (r) => r.delete || !registered.has(r.urn),
    );
    // Resources that left the program, and replaced ones whose deletion is pending.
    await this.deleteInOrder(leaving);
  }

  private spawnProgram(): ChildProcess {
    const runner = path.join(__dirname, `runner${path.extname(__filename)}`);
    const env: NodeJS.ProcessEnv = {
      ...this.env,
      PULUMI_CONFIG: JSON.stringify(this.config.values),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(this.config.secretKeys),
      PULUMI_NODEJS_PROJECT: this.project.name,
      PULUMI_NODEJS_STACK: this.opts.stack,
      PULUMI_NODEJS_ROOT_DIRECTORY: this.project.dir,
      PULUMI_NODEJS_DRY_RUN: String(this.preview),
      LOCAL_ENGINE_PROJECT: this.project.name,
      LOCAL_ENGINE_STACK: this.opts.stack,
      LOCAL_ENGINE_DRY_RUN: String(this.preview),
      LOCAL_ENGINE_ORGANIZATION: this.opts.organization ?? "organization",
      LOCAL_ENGINE_MAIN: this.project.main,
    };
    if (!findUp(this.project.dir, "tsconfig.json")) {
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
    const execArgv = [
      "-r",
      require.resolve("ts-node/register/transpile-only", {
        paths: [this.project.dir, __dirname],
      }),
    ];
    const child = fork(runner, [], {
      cwd: this.project.dir,
      env,
      execArgv,
      silent: true,
    });
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").replace(/\n$/, "").split("\n"))
        this.print(`    ${line}`);
    };
    child.stdout?.on("data", relay);
    child.stderr?.on("data", relay);
    return child;
  }

  /** URNs like Pulumi's: the parent's qualified type prefixes the type, except for the stack. */
  private urnFor(msg: Registration): string {
    let type = msg.type;
    if (msg.parent) {
      const parentType = msg.parent.split("::")[2] ?? "";
      if (parentType !== STACK_TYPE) type = `${parentType}$${type}`;
    }
    return `urn:pulumi:${this.opts.stack}::${this.project.name}::${type}::${msg.name}`;
  }

  private onOutputs(urn: string, outputs: Record<string, unknown>): void {
    if (urn.split("::")[2] === STACK_TYPE) this.stackOutputs = outputs;
    const res = this.store.live(urn);
    if (res && !this.preview) {
      res.outputs = outputs;
      res.secretOutputs = secretKeys(outputs);
      this.save();
    }
  }

  private async register(
    urn: string,
    msg: Registration,
  ): Promise<{ id: string; outputs: Record<string, unknown> }> {
    const old = this.store.live(urn);
    const base = {
      urn,
      type: msg.type,
      name: msg.name,
      custom: msg.custom,
      dependencies: msg.dependencies,
      ...(msg.parent ? { parent: msg.parent } : {}),
      ...(msg.additionalSecretOutputs.length
        ? { additionalSecretOutputs: msg.additionalSecretOutputs }
        : {}),
      ...(msg.deleteBeforeReplace !== undefined
        ? { deleteBeforeReplace: msg.deleteBeforeReplace }
        : {}),
    };
    if (!msg.custom) {
      this.record({
        op: old ? "same" : "create",
        urn,
        type: msg.type,
        name: msg.name,
      });
      if (!this.preview) {
        this.store.upsert({
          ...base,
          kind: "component",
          inputs: msg.inputs,
          outputs: old?.outputs ?? {},
        });
        this.save();
      }
      return { id: "", outputs: {} };
    }
    return this.limit(() =>
      msg.type.startsWith(DYNAMIC_PREFIX)
        ? this.registerDynamic(urn, msg, base, old)
        : this.registerFake(urn, msg, base, old),
    );
  }

  private async registerDynamic(
    urn: string,
    msg: Registration,
    base: Omit<StateResource, "kind" | "inputs" | "outputs">,
    old: StateResource | undefined,
  ): Promise<{ id: string; outputs: Record<string, unknown> }> {
    const host = await this.getHost();
    const secretIn = secretKeys(msg.inputs);
    const secretOut = new Set([...secretIn, ...msg.additionalSecretOutputs]);
    const news = unwrapProps(msg.inputs);
    if (old)
      for (const k of msg.ignoreChanges)
        if (k in old.inputs) news[k] = unwrapProps(old.inputs)[k];
    const step: Step = { op: "create", urn, type: msg.type, name: msg.name };
    const entry = (
      id: string,
      outputs: Record<string, unknown>,
      inputs: Record<string, unknown>,
    ) => {
      const outs = remark(outputs, secretOut);
      return {
        ...base,
        kind: "dynamic" as const,
        id,
        inputs: remark(inputs, secretIn),
        outputs: outs,
        secretOutputs: secretKeys(outs),
      };
    };
    try {
      const checked = await host.check(
        urn,
        old ? unwrapProps(old.inputs) : {},
        news,
      );
      if (checked.failures.length > 0) {
        const why = checked.failures
          .map((f) => `${f.property}: ${f.reason}`)
          .join("; ");
        throw new StepFailure(`${urn}: check failed: ${why}`);
      }
      const inputs = checked.inputs;
      if (!old) {
        if (this.preview) {
          this.record(step);
          return { id: "", outputs: remark(inputs, secretOut) };
        }
        const created = await this.partial(entry, inputs, () =>
          host.create(urn, inputs),
        );
        const res = entry(created.id, created.outputs, inputs);
        this.store.upsert(res);
        this.save();
        this.record(step);
        return { id: res.id, outputs: res.outputs };
      }

      const diff = await host.diff(
        old.id ?? "",
        urn,
        unwrapProps(old.outputs),
        inputs,
      );
      const oldInputs = unwrapProps(old.inputs);
      const changedKeys = Object.keys({ ...oldInputs, ...inputs }).filter(
        (k) => !sameValue(oldInputs[k], inputs[k]),
      );
      const replaces = [
        ...diff.replaces,
        ...msg.replaceOnChanges.filter(
          (k) => changedKeys.includes(k) && !diff.replaces.includes(k),
        ),
      ];
      const changes = diff.changes ?? changedKeys.length > 0;
      if (!changes && replaces.length === 0) {
        step.op = "same";
        this.record(step);
        if (!this.preview) {
          this.store.upsert({
            ...old,
            ...base,
            inputs: remark(inputs, secretIn),
          });
          this.save();
        }
        return { id: old.id ?? "", outputs: old.outputs };
      }
      if (replaces.length === 0) {
        step.op = "update";
        if (this.preview) {
          this.record(step);
          return { id: old.id ?? "", outputs: remark(inputs, secretOut) };
        }
        const id = old.id ?? "";
        const updated = await this.partial(entry, inputs, async () => ({
          id,
          outputs: (
            await host.update(id, urn, unwrapProps(old.outputs), inputs)
          ).outputs,
        }));
        const res = entry(id, updated.outputs, inputs);
        this.store.upsert(res);
        this.save();
        this.record(step);
        return { id, outputs: res.outputs };
      }

      const dbr = msg.deleteBeforeReplace ?? diff.deleteBeforeReplace;
      Object.assign(step, {
        op: "replace",
        deleteBeforeReplace: dbr,
        replaces,
      });
      if (this.preview) {
        this.record(step);
        return { id: "", outputs: remark(inputs, secretOut) };
      }
      if (dbr) {
        await host.delete(old.id ?? "", urn, unwrapProps(old.outputs));
        this.store.remove(old);
        this.save();
      } else {
        // Create first; the old resource is deleted with the other deletions at the end.
        old.delete = true;
        this.save();
      }
      const created = await this.partial(entry, inputs, () =>
        host.create(urn, inputs),
      );
      const res = entry(created.id, created.outputs, inputs);
      this.store.upsert(res);
      this.save();
      this.record(step);
      return { id: res.id, outputs: res.outputs };
    } catch (err) {
      step.error = err instanceof Error ? err.message : String(err);
      this.record(step);
      if (err instanceof StepFailure) throw err;
      throw new StepFailure(`${urn}: ${step.op} failed: ${step.error}`);
    }
  }

  /** Create/update errors carrying an id are partial failures: the resource exists, record it. */
  private async partial(
    entry: (
      id: string,
      outputs: Record<string, unknown>,
      inputs: Record<string, unknown>,
    ) => StateResource,
    inputs: Record<string, unknown>,
    op: () => Promise<{ id: string; outputs: Record<string, unknown> }>,
  ): Promise<{ id: string; outputs: Record<string, unknown> }> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof ProviderError && err.partial && !this.preview) {
        this.store.upsert(entry(err.partial.id, err.partial.outputs, inputs));
        this.save();
      }
      throw err;
    }
  }

  private async registerFake(
    urn: string,
    msg: Registration,
    base: Omit<StateResource, "kind" | "inputs" | "outputs">,
    old: StateResource | undefined,
  ): Promise<{ id: string; outputs: Record<string, unknown> }> {
    const secretIn = secretKeys(msg.inputs);
    const secretOut = new Set([...secretIn, ...msg.additionalSecretOutputs]);
    const inputs = unwrapProps(msg.inputs);
    const step: Step = {
      op: old ? "update" : "create",
      urn,
      type: msg.type,
      name: msg.name,
    };
    if (old && sameValue(unwrapProps(old.inputs), inputs)) {
      step.op = "same";
      this.record(step);
      return { id: old.id ?? "", outputs: old.outputs };
    }
    if (this.preview) {
      this.record(step);
      const outs = old ? { ...old.outputs, ...msg.inputs } : msg.inputs;
      return { id: old?.id ?? "", outputs: remark(outs, secretOut) };
    }
    try {
      const fake = fakeResource(
        urn,
        msg.type,
        msg.name,
        inputs,
        this.config.values,
      );
      const event: ResourceEvent = {
        op: old ? "update" : "create",
        urn,
        type: msg.type,
        name: msg.name,
        inputs,
        config: this.config.values,
        ...(old ? { id: old.id ?? "", olds: unwrapProps(old.outputs) } : {}),
      };
      const hooked = (await this.opts.onResource?.(event)) ?? {};
      const id = old?.id ?? hooked.id ?? fake.id;
      const outputs = remark(
        {
          ...(old ? unwrapProps(old.outputs) : {}),
          ...fake.outputs,
          ...hooked.outputs,
        },
        secretOut,
      );
      this.store.upsert({
        ...base,
        kind: "fake",
        id,
        inputs: msg.inputs,
        outputs,
        secretOutputs: secretKeys(outputs),
      });
      this.save();
      this.record(step);
      return { id, outputs };
    } catch (err) {
      step.error = err instanceof Error ? err.message : String(err);
      this.record(step);
      throw new StepFailure(`${urn}: ${step.op} failed: ${step.error}`);
    }
  }

  // ---- deletions ----------------------------------------------------------------------------

  /** Deletes dependents before what they depend on; independent deletions run in parallel. */
  private async deleteInOrder(entries: StateResource[]): Promise<void> {
    const memo = new Map<StateResource, Promise<void>>();
    const dependents = (r: StateResource) =>
      entries.filter(
        (o) =>
          o !== r &&
          (o.parent === r.urn || o.dependencies.includes(r.urn)) &&
          !(o.urn === r.urn),
      );
    const run = (r: StateResource): Promise<void> => {
      let p = memo.get(r);
      if (!p) {
        // Placeholder first: dependency cycles (which Pulumi forbids) cannot recurse forever.
        memo.set(r, Promise.resolve());
        p = (async () => {
          await Promise.all(dependents(r).map(run));
          if (this.failed) return;
          await this.limit(() => this.deleteOne(r));
        })();
        memo.set(r, p);
      }
      return p;
    };
    await Promise.all(entries.map((r) => run(r).catch(() => {})));
  }

  private async deleteOne(r: StateResource): Promise<void> {
    const step: Step = { op: "delete", urn: r.urn, type: r.type, name: r.name };
    if (this.preview) {
      this.record(step);
      return;
    }
    try {
      if (r.kind === "dynamic") {
        const host = await this.getHost();
        await host.delete(r.id ?? "", r.urn, unwrapProps(r.outputs));
      } else if (r.kind === "fake") {
        await this.opts.onResource?.({
          op: "delete",
          urn: r.urn,
          type: r.type,
          name: r.name,
          id: r.id ?? "",
          inputs: unwrapProps(r.inputs),
          olds: unwrapProps(r.outputs),
          config: this.config.values,
        });
      }
      this.store.remove(r);
      this.save();
      this.record(step);
    } catch (err) {
      step.error = err instanceof Error ? err.message : String(err);
      this.record(step);
      this.fail(`${r.urn}: delete failed: ${step.error}`);
    }
  }

  // ---- refresh / destroy --------------------------------------------------------------------

  private async refresh(): Promise<void> {
    const targets = this.store.state.resources.filter(
      (r) => r.custom && !r.delete,
    );
    await Promise.all(targets.map((r) => this.limit(() => this.refreshOne(r))));
  }

  private async refreshOne(r: StateResource): Promise<void> {
    if (this.failed) return;
    const step: Step = { op: "same", urn: r.urn, type: r.type, name: r.name };
    try {
      let id = r.id ?? "";
      let outputs = r.outputs;
      let inputs = r.inputs;
      const secretIn = secretKeys(r.inputs);
      const secretOut = new Set([
        ...secretIn,
        ...(r.additionalSecretOutputs ?? []),
        ...(r.secretOutputs ?? []),
      ]);
      if (r.kind === "dynamic") {
        const host = await this.getHost();
        const read = await host.read(
          id,
          r.urn,
          unwrapProps(r.outputs),
          unwrapProps(r.inputs),
        );
        id = read.id;
        outputs = remark(read.outputs, secretOut);
        if (read.inputs) inputs = remark(read.inputs, secretIn);
      } else {
        const hooked = await this.opts.onResource?.({
          op: "read",
          urn: r.urn,
          type: r.type,
          name: r.name,
          id,
          inputs: unwrapProps(r.inputs),
          olds: unwrapProps(r.outputs),
          config: this.config.values,
        });
        if (hooked) {
          if (hooked.id !== undefined) id = hooked.id;
          if (hooked.outputs)
            outputs = remark(
              { ...unwrapProps(r.outputs), ...hooked.outputs },
              secretOut,
            );
        }
      }
      if (id === "") {
        step.op = "delete";
        this.store.remove(r);
      } else {
        const changed =
          id !== r.id ||
          !sameValue(unwrapProps(outputs), unwrapProps(r.outputs)) ||
          !sameValue(unwrapProps(inputs), unwrapProps(r.inputs));
        if (changed) {
          step.op = "update";
          this.store.upsert({
            ...r,
            id,
            inputs,
            outputs,
            secretOutputs: secretKeys(outputs),
          });
        }
      }
      this.save();
      this.record(step);
    } catch (err) {
      step.error = err instanceof Error ? err.message : String(err);
      this.record(step);
      this.fail(`${r.urn}: refresh failed: ${step.error}`);
    }
  }

  private async destroy(): Promise<void> {
    await this.deleteInOrder([...this.store.state.resources]);
    if (!this.failed) this.save();
  }
}

// ---- helpers ----------------------------------------------------------------------------------

const HEADINGS: Record<Command, string> = {
  preview: "Previewing update",
  up: "Updating",
  refresh: "Refreshing",
  destroy: "Destroying",
};

const PAST: Record<StepOp, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  same: "unchanged",
};

function symbol(step: Step): string {
  switch (step.op) {
    case "create":
      return "+";
    case "update":
      return "~";
    case "replace":
      return step.deleteBeforeReplace ? "-+" : "+-";
    case "delete":
      return "-";
    default:
      return " ";
  }
}

function findUp(dir: string, name: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, name))) return path.join(d, name);
    if (path.dirname(d) === d) return undefined;
  }
}

function mergeEnv(
  base: NodeJS.ProcessEnv,
  over: NodeJS.ProcessEnv | undefined,
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries({ ...base, ...over }))
    if (v !== undefined) out[k] = v;
  return out;
}

/** At most `n` operations at once; a released slot passes straight to the next waiter. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>) => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, stable((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}

function hash(s: string): string {
  return crypto.createHash("sha256").update(s).digest("hex");
}

/** Deterministic stand-ins for resources of real providers (no plugin runs here). */
export function fakeResource(
  urn: string,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  config: Record<string, string>,
): { id: string; outputs: Record<string, unknown> } {
  const h = hash(urn);
  if (type === "github:index/repository:Repository") {
    const repo =
      typeof inputs.name === "string" && inputs.name !== UNKNOWN
        ? inputs.name
        : name;
    const owner = config["github:owner"] ?? "owner";
    return {
      id: repo,
      outputs: {
        ...inputs,
        name: repo,
        fullName: `${owner}/${repo}`,
        repoId: 100000 + (parseInt(h.slice(0, 8), 16) % 900000000),
        nodeId: `R_${Buffer.from(h.slice(0, 12), "hex").toString("base64url")}`,
        htmlUrl: `https://github.com/${owner}/${repo}`,
        httpCloneUrl: `https://github.com/${owner}/${repo}.git`,
        sshCloneUrl: `git@github.com:${owner}/${repo}.git`,
        gitCloneUrl: `git://github.com/${owner}/${repo}.git`,
        visibility:
          inputs.visibility ?? (inputs.private === true ? "private" : "public"),
        etag: `W/"${h.slice(0, 16)}"`,
      },
    };
  }
  if (type.startsWith("pulumi:providers:")) {
    return {
      id: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
      outputs: { ...inputs },
    };
  }
  return { id: `${name}-${h.slice(0, 8)}`, outputs: { ...inputs } };
}
