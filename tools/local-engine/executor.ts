// Step execution: the planned steps run on at most `parallel` workers (step_executor.go
// `newStepExecutor` starts DegreeOfParallelism workers), each step followed by a checkpoint
// write; the first failure stops new steps from starting. Deletes run last, one antichain at a
// time (deployment_executor.go `performDeletes`: ExecuteParallel, then Wait).
import { ProviderError } from "../provider-host";
import type { Deployment } from "./deployment";
import { fakeResource } from "./fakes";
import { messageOf, Skipped, StepFailure } from "./failures";
import type { Plan } from "./planner";
import type { RegistrationAnswer } from "./program";
import { isDynamic, providerReference } from "./providers";
import { remark, secretKeys, unwrapProps } from "./secrets";
import type { StateResource } from "./state";
import type { Step } from "./types";
import { sameValue, changedKeys } from "./values";

export class StepExecutor {
  private readonly limit: <T>(fn: () => Promise<T>) => Promise<T>;

  constructor(private readonly d: Deployment) {
    this.limit = limiter(d.parallel);
  }

  /** Runs a planned registration step on a worker; answers what the program gets back. */
  apply(plan: Plan): Promise<RegistrationAnswer> {
    switch (plan.op) {
      case "component":
        return Promise.resolve(this.component(plan));
      case "untargeted":
        this.d.record(this.stepOf(plan, "same"));
        return Promise.resolve(this.answer(plan.urn, plan.old));
      case "skipped-create":
        this.d.record(this.stepOf(plan, "same"));
        return Promise.resolve({
          urn: plan.urn,
          id: "",
          outputs: plan.msg.inputs,
        });
      default:
        return this.onWorker(() => this.custom(plan));
    }
  }

  private async onWorker<T>(fn: () => Promise<T>): Promise<T> {
    return this.limit(async () => {
      if (this.d.failed) throw new Skipped("skipped: an earlier step failed");
      return fn();
    });
  }

  private component(plan: Plan): RegistrationAnswer {
    const old = plan.old;
    this.d.record(this.stepOf(plan, old ? "same" : "create"));
    this.put(
      {
        ...this.base(plan),
        kind: "component",
        inputs: plan.msg.inputs,
        outputs: old?.outputs ?? {},
      },
      old,
    );
    return { urn: plan.urn, id: "", outputs: {} };
  }

  private async custom(plan: Plan): Promise<RegistrationAnswer> {
    if (plan.op === "fake") return this.fake(plan);
    const step = this.stepOf(plan, "create");
    try {
      switch (plan.op) {
        case "import":
          return await this.importResource(plan);
        case "same": {
          step.op = "same";
          this.d.record(step);
          const res = {
            ...plan.old,
            ...this.base(plan),
            inputs: remark(plan.inputs, plan.secretIn),
          };
          this.put(res, plan.old);
          return this.answer(plan.urn, plan.old);
        }
        case "create":
          return await this.create(plan, step, plan.inputs);
        case "update": {
          step.op = "update";
          if (this.d.dryRun) return this.planned(plan, step, plan.old.id);
          const id = plan.old.id ?? "";
          const host = await this.d.providerHost();
          const updated = await this.partial(
            plan,
            plan.inputs,
            async () => ({
              id,
              outputs: (
                await host.update(
                  id,
                  plan.urn,
                  unwrapProps(plan.old.outputs),
                  plan.inputs,
                )
              ).outputs,
            }),
            (res) => this.d.store.upsert(res, plan.old),
          );
          const res = this.dynamicEntry(plan, id, updated.outputs, plan.inputs);
          this.put(res, plan.old);
          this.d.record(step);
          return this.answer(plan.urn, res);
        }
        case "replace":
          return await this.replace(plan, step);
      }
    } catch (err) {
      if (err instanceof Skipped) throw err;
      const message = this.d.recordFailure(step, err);
      if (err instanceof StepFailure) throw err;
      throw new StepFailure(`${plan.urn}: ${step.op} failed: ${message}`);
    }
    throw new Error(`unplanned step ${plan.op}`);
  }

  private async create(
    plan: Plan,
    step: Step,
    inputs: Record<string, unknown>,
    after?: () => void,
  ): Promise<RegistrationAnswer> {
    if (this.d.dryRun) return this.planned(plan, step, "");
    const host = await this.d.providerHost();
    // Marking the old resource for deletion and recording the new one happen together, right
    // after the create succeeded, also partially (step.go `(*CreateStep).Apply`: "Mark the old
    // resource as pending deletion if necessary"); a failed create leaves the old one live.
    const record = (res: StateResource) => {
      after?.();
      this.d.store.upsert(res);
    };
    const created = await this.partial(
      plan,
      inputs,
      () => host.create(plan.urn, inputs),
      record,
    );
    const res = this.dynamicEntry(plan, created.id, created.outputs, inputs);
    record(res);
    this.d.save();
    this.d.record(step);
    return this.answer(plan.urn, res);
  }

  /**
   * Create-before-delete by default: the new resource first, the old one marked for deletion
   * and deleted with the other deletes at the end. Delete-before-replace when the provider or
   * the option asks: the old one first (dependents are not replaced first here; see README).
   */
  private async replace(
    plan: Extract<Plan, { op: "replace" }>,
    step: Step,
  ): Promise<RegistrationAnswer> {
    Object.assign(step, {
      op: "replace",
      deleteBeforeReplace: plan.deleteBeforeReplace,
      replaces: plan.replaces,
    });
    if (this.d.dryRun) return this.planned(plan, step, "");
    if (plan.deleteBeforeReplace) {
      const host = await this.d.providerForOldState();
      await host.delete(
        plan.old.id ?? "",
        plan.urn,
        unwrapProps(plan.old.outputs),
      );
      this.d.store.remove(plan.old);
      this.d.save();
      return this.create(plan, step, plan.inputs);
    }
    return this.create(plan, step, plan.inputs, () => {
      plan.old.delete = true;
    });
  }

  /**
   * `import`: Read with the id only, no inputs and no state (step.go `(*ImportStep).Apply`), so a
   * dynamic provider gets no `__provider` and the dynamic-provider host cannot load it
   * (pulumi/pulumi#16175). Modelled to that point; a Read that succeeds is not followed by the
   * engine's Check and Diff against the imported state here.
   */
  private async importResource(
    plan: Extract<Plan, { op: "import" }>,
  ): Promise<RegistrationAnswer> {
    const host = await this.d.providerHost();
    let read;
    try {
      read = await host.read(plan.id, plan.urn, {});
    } catch (err) {
      throw new StepFailure(`${plan.urn}: import failed: ${messageOf(err)}`);
    }
    if (read.id === "")
      throw new StepFailure(
        `${plan.urn}: resource '${plan.id}' does not exist`,
      );
    if (!read.inputs)
      throw new StepFailure(
        `${plan.urn}: provider does not support importing resources`,
      );
    throw new StepFailure(
      `${plan.urn}: import through a dynamic provider is not modelled past Read`,
    );
  }

  /** Preview: nothing applied, the program gets the inputs it gave (unknowns stay unknown). */
  private planned(
    plan: Plan,
    step: Step,
    id: string | undefined,
  ): RegistrationAnswer {
    this.d.record(step);
    return {
      urn: plan.urn,
      id: id ?? "",
      outputs: remark(unwrapProps(plan.msg.inputs), plan.secretOut),
    };
  }

  /** Create/update errors carrying an id are partial failures: the resource exists, record it. */
  private async partial(
    plan: Plan,
    inputs: Record<string, unknown>,
    op: () => Promise<{ id: string; outputs: Record<string, unknown> }>,
    record: (res: StateResource) => void,
  ): Promise<{ id: string; outputs: Record<string, unknown> }> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof ProviderError && err.partial) {
        record(
          this.dynamicEntry(plan, err.partial.id, err.partial.outputs, inputs),
        );
        this.d.save();
      }
      throw err;
    }
  }

  private async fake(plan: Plan): Promise<RegistrationAnswer> {
    const { msg, urn, old } = plan;
    const inputs = unwrapProps(msg.inputs);
    const step = this.stepOf(plan, old ? "update" : "create");
    if (old && sameValue(unwrapProps(old.inputs), inputs)) {
      step.op = "same";
      this.d.record(step);
      this.put({ ...old, ...this.base(plan), kind: "fake" }, old);
      return this.answer(urn, old);
    }
    if (this.d.dryRun) {
      this.d.record(step);
      const outs = old ? { ...old.outputs, ...msg.inputs } : msg.inputs;
      return { urn, id: old?.id ?? "", outputs: remark(outs, plan.secretOut) };
    }
    try {
      const config = this.d.config.values;
      const fake = fakeResource(
        urn,
        msg.type,
        msg.name,
        inputs,
        config["github:owner"] ?? this.d.env.GITHUB_OWNER ?? "owner",
      );
      const hooked =
        (await this.d.opts.onResource?.({
          op: old ? "update" : "create",
          urn,
          type: msg.type,
          name: msg.name,
          inputs,
          config,
          ...(old ? { id: old.id ?? "", olds: unwrapProps(old.outputs) } : {}),
        })) ?? {};
      const id = old?.id ?? hooked.id ?? fake.id;
      const outputs = remark(
        {
          ...(old ? unwrapProps(old.outputs) : {}),
          ...fake.outputs,
          ...hooked.outputs,
        },
        plan.secretOut,
      );
      const res: StateResource = {
        ...this.base(plan),
        kind: "fake",
        id,
        inputs: msg.inputs,
        outputs,
        secretOutputs: secretKeys(outputs),
      };
      this.put(res, old);
      this.d.record(step);
      return this.answer(urn, res);
    } catch (err) {
      const message = this.d.recordFailure(step, err);
      throw new StepFailure(`${urn}: ${step.op} failed: ${message}`);
    }
  }

  // ---- deletes ------------------------------------------------------------------------------

  /** Each antichain in parallel (up to `parallel`), and finished before the next starts. */
  async deleteAll(antichains: StateResource[][]): Promise<void> {
    const condemned = new Set(antichains.flat().map((r) => r.urn));
    for (const group of antichains) {
      if (this.d.failed && !this.d.dryRun) return;
      await Promise.all(
        group.map((r) => this.limit(() => this.deleteOne(r, condemned))),
      );
    }
  }

  /**
   * step.go `(*DeleteStep).Apply`: a protected resource cannot be deleted (other deletes go on);
   * the provider's Delete is not called in preview, for `retainOnDelete`, or when the
   * `deletedWith` resource is deleted in this deployment too.
   */
  private async deleteOne(
    r: StateResource,
    condemned: Set<string>,
  ): Promise<void> {
    const step: Step = {
      op: "delete",
      urn: r.urn,
      type: r.type,
      name: r.name,
      ...(r.delete ? { original: true } : {}),
    };
    if (r.kind === "provider") {
      // Provider resources are not shown; deleting one unloads the plugin.
      if (!this.d.dryRun) {
        this.d.store.remove(r);
        this.d.save();
      }
      return;
    }
    try {
      if (r.protect && !r.delete)
        throw new Error(
          `resource "${r.urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${r.urn}'\``,
        );
      if (r.retainOnDelete) step.skipped = "retainOnDelete: not deleted";
      else if (r.deletedWith && condemned.has(r.deletedWith))
        step.skipped = `deleted with ${r.deletedWith}`;
      if (this.d.dryRun) {
        this.d.record(step);
        return;
      }
      if (!step.skipped) {
        if (r.kind === "dynamic") {
          const host = await this.d.providerForOldState();
          await host.delete(r.id ?? "", r.urn, unwrapProps(r.outputs));
        } else if (r.kind === "fake") {
          await this.d.opts.onResource?.({
            op: "delete",
            urn: r.urn,
            type: r.type,
            name: r.name,
            id: r.id ?? "",
            inputs: unwrapProps(r.inputs),
            olds: unwrapProps(r.outputs),
            config: this.d.config.values,
          });
        }
      }
      this.d.store.remove(r);
      this.d.save();
      this.d.record(step);
    } catch (err) {
      const message = this.d.recordFailure(step, err);
      this.d.fail(`${r.urn}: delete failed: ${message}`);
    }
  }

  // ---- refresh ------------------------------------------------------------------------------

  async refreshAll(resources: StateResource[]): Promise<void> {
    await Promise.all(
      resources.map((r) => this.limit(() => this.refreshOne(r))),
    );
  }

  /**
   * step.go `(*RefreshStep).Apply`: Read with the id, the stored inputs and outputs; no id back
   * means the resource is gone; no inputs back keeps the stored ones. Then Diff with the
   * refreshed outputs as olds and the stored inputs as news decides whether the refresh shows
   * an update (the modern refresh diff, `diffResource(… s.old.Inputs …)` then `Invert`).
   */
  private async refreshOne(r: StateResource): Promise<void> {
    if (this.d.failed) return;
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
      let changed: boolean;
      if (isDynamic(r.type)) {
        const host = await this.d.providerForOldState();
        const read = await host.read(
          id,
          r.urn,
          unwrapProps(r.outputs),
          unwrapProps(r.inputs),
        );
        id = read.id;
        outputs = remark(read.outputs, secretOut);
        if (read.inputs) inputs = remark(read.inputs, secretIn);
        changed = false;
        if (id !== "") {
          const diff = await host.diff(
            id,
            r.urn,
            read.outputs,
            unwrapProps(r.inputs),
          );
          changed =
            diff.changes ??
            changedKeys(unwrapProps(inputs), unwrapProps(r.inputs)).length > 0;
        }
      } else {
        const hooked = await this.d.opts.onResource?.({
          op: "read",
          urn: r.urn,
          type: r.type,
          name: r.name,
          id,
          inputs: unwrapProps(r.inputs),
          olds: unwrapProps(r.outputs),
          config: this.d.config.values,
        });
        if (hooked?.id !== undefined) id = hooked.id;
        if (hooked?.outputs)
          outputs = remark(
            { ...unwrapProps(r.outputs), ...hooked.outputs },
            secretOut,
          );
        changed = !sameValue(unwrapProps(outputs), unwrapProps(r.outputs));
      }
      if (id === "") {
        step.op = "delete";
        if (!this.d.dryRun) this.d.store.remove(r);
      } else {
        if (changed) step.op = "update";
        if (!this.d.dryRun)
          this.d.store.upsert(
            { ...r, id, inputs, outputs, secretOutputs: secretKeys(outputs) },
            r,
          );
      }
      this.d.save();
      this.d.record(step);
    } catch (err) {
      const message = this.d.recordFailure(step, err);
      this.d.fail(`${r.urn}: refresh failed: ${message}`);
    }
  }

  // ---- state entries ------------------------------------------------------------------------

  private stepOf(plan: Plan, op: Step["op"]): Step {
    return { op, urn: plan.urn, type: plan.msg.type, name: plan.msg.name };
  }

  private answer(urn: string, res: StateResource): RegistrationAnswer {
    return { urn, id: res.id ?? "", outputs: res.outputs };
  }

  /** What every state entry records of the registration. */
  private base(plan: Plan): Omit<StateResource, "kind" | "inputs" | "outputs"> {
    const { msg, urn } = plan;
    return {
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
      ...(msg.protect ? { protect: true } : {}),
      ...(msg.retainOnDelete ? { retainOnDelete: true } : {}),
      ...(msg.deletedWith ? { deletedWith: msg.deletedWith } : {}),
      ...(msg.replacementTrigger !== undefined
        ? { replacementTrigger: msg.replacementTrigger }
        : {}),
    };
  }

  private dynamicEntry(
    plan: Plan,
    id: string,
    outputs: Record<string, unknown>,
    inputs: Record<string, unknown>,
  ): StateResource {
    const outs = remark(outputs, plan.secretOut);
    const provider = this.d.store.live(this.d.providerUrn);
    return {
      ...this.base(plan),
      kind: "dynamic",
      id,
      inputs: remark(inputs, plan.secretIn),
      outputs: outs,
      secretOutputs: secretKeys(outs),
      ...(provider ? { provider: providerReference(provider) } : {}),
    };
  }

  /** Records a step's new state (not in preview), where the old one was. */
  private put(res: StateResource, old: StateResource | undefined): void {
    if (this.d.dryRun) return;
    this.d.store.upsert(res, old);
    this.d.save();
  }
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
