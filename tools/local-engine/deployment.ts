// One deployment: what `pulumi` runs once per preview, update, refresh or destroy, with its own
// provider process (pkg/engine/deployment.go `newDeployment` makes a plugin context per
// deployment; `(*deployment).Close` shuts its plugins down). `up` is two of them: a preview and
// then the update (pkg/backend/apply.go `PreviewThenPromptThenExecute`), unless --skip-preview.
import { randomUUID } from "node:crypto";
import * as os from "node:os";
import { startProviderHost, type ProviderHost } from "../provider-host";
import type { Project, StackConfig } from "./config";
import { StepExecutor } from "./executor";
import { messageOf } from "./failures";
import type { Display } from "./output";
import { StepGenerator } from "./planner";
import { runProgram } from "./program";
import {
  defaultProviderUrn,
  providerInputs,
  savedProviderConfig,
} from "./providers";
import { secretKeys } from "./secrets";
import type { StateStore, StateResource } from "./state";
import type { RunEngineOptions, Step } from "./types";
import { STACK_TYPE, qualifiedType } from "./urn";

export type DeploymentKind = "update" | "refresh" | "destroy";

/** `--parallel`'s default: 4 × GOMAXPROCS (pkg/cmd/pulumi/operations/up.go `defaultParallel`). */
export function defaultParallel(): number {
  return 4 * os.availableParallelism();
}

export class Deployment {
  readonly steps: Step[] = [];
  readonly errors: string[] = [];
  failed = false;
  stackOutputs: Record<string, unknown> = {};
  readonly parallel: number;
  readonly providerUrn: string;
  private hostPromise?: Promise<ProviderHost>;
  private host?: ProviderHost;
  /** The config the provider process was last configured with (JSON), if any. */
  private configuredWith?: string;
  private lastSave = 0;
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly kind: DeploymentKind,
    readonly dryRun: boolean,
    readonly opts: RunEngineOptions,
    readonly env: NodeJS.ProcessEnv,
    readonly project: Project,
    readonly config: StackConfig,
    readonly store: StateStore,
    readonly display: Display,
  ) {
    this.parallel =
      opts.parallel && opts.parallel > 0 ? opts.parallel : defaultParallel();
    this.providerUrn = defaultProviderUrn(opts.stack, project.name);
  }

  // ---- running ------------------------------------------------------------------------------

  async run(): Promise<void> {
    try {
      if (this.kind === "update") await this.update();
      else if (this.kind === "refresh") await this.refreshAll(true);
      else await this.destroy();
    } catch (err) {
      this.fail(messageOf(err));
    } finally {
      this.flush();
      if (this.host) await this.host.close();
      else if (this.hostPromise)
        await this.hostPromise.then((h) => h.close()).catch(() => {});
      // The first line is the port, the handshake with the engine, not a diagnostic.
      this.display.diagnostics(
        "[provider] ",
        this.hostOutput().replace(/^\d+\n/, ""),
      );
    }
  }

  /**
   * Update (or its preview): an optional refresh of everything first (deployment_executor.go
   * `Execute`: `if opts.Refresh { ex.refresh() }`), then the program's registrations through the
   * step generator, then the deletes of what the program no longer declares.
   */
  private async update(): Promise<void> {
    const executor = new StepExecutor(this);
    if (this.opts.refresh) {
      await this.refreshAll(false);
      if (this.failed) return;
    }
    const generator = new StepGenerator(this, executor);
    // The provider process starts while the program loads (both take about a second).
    this.startHost();
    const program = await runProgram(
      {
        project: this.project,
        stack: this.opts.stack,
        config: this.config,
        env: this.env,
        dryRun: this.dryRun,
        organization: this.opts.organization ?? "organization",
      },
      {
        register: (msg) => generator.register(msg),
        outputs: (urn, outputs) => this.onOutputs(urn, outputs),
        print: (line) => this.display.print(line),
      },
    );
    if (program.spawnError)
      this.fail(`could not run the program: ${program.spawnError}`);
    if (this.failed) return;
    if (program.errors.length > 0 || program.exitCode !== 0) {
      const why =
        program.errors.length > 0
          ? program.errors.join("; ")
          : `exit code ${program.exitCode}`;
      this.fail(`the program failed: ${why}`);
      return;
    }
    await executor.deleteAll(generator.deletes());
  }

  /**
   * Refresh: Read every resource, then Diff the refreshed state against the stored inputs to
   * tell "update" from "same" (deployment_executor.go `refresh`, step.go `(*RefreshStep).Apply`).
   * `pulumi refresh` and `up --refresh` run it with the providers of the old state.
   */
  private async refreshAll(standalone: boolean): Promise<void> {
    await this.configureForOldState(standalone && this.opts.runProgram);
    const executor = new StepExecutor(this);
    const targets = this.opts.targets;
    await executor.refreshAll(
      this.store.state.resources.filter(
        (r) =>
          r.custom &&
          !r.delete &&
          r.kind !== "provider" &&
          (!targets?.length || targets.includes(r.urn)),
      ),
    );
  }

  /** Destroy: everything, dependents first (engine/destroy.go: a null source, no program). */
  private async destroy(): Promise<void> {
    await this.configureForOldState(this.opts.runProgram);
    const executor = new StepExecutor(this);
    const generator = new StepGenerator(this, executor);
    await executor.deleteAll(generator.deletes({ everything: true }));
    if (!this.failed) this.save();
  }

  // ---- the provider process -----------------------------------------------------------------

  private startHost(): Promise<ProviderHost> {
    this.hostPromise ??= startProviderHost({
      cwd: this.project.dir,
      project: this.project.name,
      stack: this.opts.stack,
      organization: this.opts.organization ?? "organization",
      env: this.env,
    }).then((host) => (this.host = host));
    this.hostPromise.catch(() => {});
    return this.hostPromise;
  }

  /** The provider process, configured with `config` (Configure again only when it changed). */
  async providerHost(config?: Record<string, string>): Promise<ProviderHost> {
    const host = await this.startHost();
    if (config && JSON.stringify(config) !== this.configuredWith) {
      this.configuredWith = JSON.stringify(config);
      await host.configure(config);
    }
    return host;
  }

  /** The provider process for a resource of the old state: configured as the state says if it is not yet. */
  async providerForOldState(): Promise<ProviderHost> {
    if (this.configuredWith === undefined)
      await this.configureForOldState(false);
    return this.providerHost();
  }

  /**
   * Refresh, destroy and deletes without a registration of the provider configure it with the
   * inputs saved in the state (deployment.go `EnsureProvider` → registry.go `(*Registry).Same`:
   * "Configure(… Inputs: filterProviderConfig(res.Inputs))"). `--run-program` uses the
   * program's, which for a dynamic provider is the current stack config.
   */
  private async configureForOldState(current: boolean | undefined) {
    const saved = current
      ? undefined
      : savedProviderConfig(this.store.state, this.providerUrn);
    if (current) this.saveProvider();
    else if (!saved)
      this.display.print(
        "    (no provider saved in this stack's state, written by an older local engine: using the current stack config)",
      );
    await this.providerHost(saved ?? this.config.values);
  }

  /**
   * Registers the default provider with the current stack config, saved in the state for later
   * refreshes and destroys. A changed config is an in-place update of the provider, never a
   * replacement of its resources: the dynamic-provider host does not implement DiffConfig, so
   * the engine gets DiffUnknown with no replaces (pkg/resource/deploy/providers/registry.go
   * `(*Registry).Diff`, sdk/go/common/resource/plugin/provider_plugin.go
   * `(*provider).DiffConfig`). Provider steps are not displayed, so same and update look alike.
   */
  saveProvider(): StateResource {
    const old = this.store.live(this.providerUrn);
    const inputs = providerInputs(this.config);
    const entry: StateResource = {
      urn: this.providerUrn,
      type: qualifiedType(this.providerUrn),
      name: "default",
      kind: "provider",
      custom: true,
      id: old?.id ?? randomUUID(),
      inputs,
      outputs: inputs,
      dependencies: [],
      secretOutputs: secretKeys(inputs),
    };
    if (!this.dryRun) {
      this.store.upsert(entry, old);
      this.save();
    }
    return entry;
  }

  // ---- state, output ------------------------------------------------------------------------

  save(): void {
    if (this.dryRun) return;
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

  record(step: Step): void {
    this.steps.push(step);
    this.display.step(step, this.dryRun);
  }

  /** Records `step` as failed with `err`'s message, and returns the message. */
  recordFailure(step: Step, err: unknown): string {
    step.error = messageOf(err);
    this.record(step);
    return step.error;
  }

  fail(message: string): void {
    this.failed = true;
    this.errors.push(message);
    this.display.error(message);
  }

  hostOutput(): string {
    return this.host?.output() ?? "";
  }

  private onOutputs(urn: string, outputs: Record<string, unknown>): void {
    if (qualifiedType(urn) === STACK_TYPE) this.stackOutputs = outputs;
    const res = this.store.live(urn);
    if (res && !this.dryRun) {
      res.outputs = outputs;
      res.secretOutputs = secretKeys(outputs);
      this.save();
    }
  }
}
