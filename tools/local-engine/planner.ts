// Step planning: what the engine decides for each registration, one at a time in the order the
// program registers them (pkg/resource/deploy/step_generator.go; the deployment executor hands
// it one RegisterResourceEvent at a time, and Check and Diff run inside it, so they are never
// concurrent; only the steps it emits run in parallel). Also which resources to delete at the
// end, and in which order.
import type { ProviderHost } from "../provider-host";
import type { Deployment } from "./deployment";
import type { StepExecutor } from "./executor";
import { messageOf, Skipped, StepFailure } from "./failures";
import type { RegistrationAnswer } from "./program";
import type { Registration } from "./protocol";
import { isDynamic } from "./providers";
import { secretKeys, unwrapProps } from "./secrets";
import type { StateResource } from "./state";
import type { Step } from "./types";
import { aliasUrns, newUrn } from "./urn";
import { changedKeys, processIgnoreChanges, sameValue } from "./values";

interface PlanBase {
  urn: string;
  msg: Registration;
  /** The old state matched by URN or alias, if any. */
  old?: StateResource;
  /** Top-level inputs that are secret, and outputs the engine marks secret. */
  secretIn: string[];
  secretOut: Set<string>;
}

export type Plan = PlanBase &
  (
    | { op: "component" }
    | { op: "fake" }
    /** Not targeted: the old state as it is, no Check, no Diff (step_generator.go "Case 3"). */
    | { op: "untargeted"; old: StateResource }
    /** Not targeted and new: nothing created, nothing saved (NewSkippedCreateStep). */
    | { op: "skipped-create" }
    | { op: "import"; id: string }
    | { op: "create"; inputs: Record<string, unknown> }
    | { op: "same"; old: StateResource; inputs: Record<string, unknown> }
    | { op: "update"; old: StateResource; inputs: Record<string, unknown> }
    | {
        op: "replace";
        old: StateResource;
        inputs: Record<string, unknown>;
        replaces: string[];
        deleteBeforeReplace: boolean;
      }
  );

export class StepGenerator {
  /** URNs registered in this deployment. */
  private readonly registered = new Set<string>();
  /** URNs of the old state that got a step (so they are not deleted at the end). */
  private readonly operated = new Set<string>();
  /** New URN → the old URN it was matched by through an alias. */
  private readonly oldUrns = new Map<string, string>();
  /** URNs targeted, directly or (with --target-dependents) through a dependency. */
  private readonly targeted = new Set<string>();
  /** URNs being replaced in this deployment, for `replaceWith`. */
  private readonly replacing = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly d: Deployment,
    private readonly executor: StepExecutor,
  ) {}

  /** One registration: planned in turn with every other, then executed on a worker. */
  async register(msg: Registration): Promise<RegistrationAnswer> {
    try {
      const plan = await this.serially(() => this.plan(msg));
      return await this.executor.apply(plan);
    } catch (err) {
      if (!(err instanceof Skipped)) this.d.fail(messageOf(err));
      throw err;
    }
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => {});
    return next;
  }

  private async plan(msg: Registration): Promise<Plan> {
    const urn = newUrn(
      this.d.opts.stack,
      this.d.project.name,
      msg.parent,
      msg.type,
      msg.name,
    );
    // step_generator.go `generateURN`: a URN seen before in this deployment is an error.
    if (this.registered.has(urn))
      throw new StepFailure(`duplicate resource URN ${urn}`);
    this.registered.add(urn);
    if (this.d.failed) throw new Skipped("skipped: an earlier step failed");

    const old = this.matchOld(urn, msg);
    const secretIn = secretKeys(msg.inputs);
    const base: PlanBase = {
      urn,
      msg,
      ...(old ? { old } : {}),
      secretIn,
      secretOut: new Set([...secretIn, ...msg.additionalSecretOutputs]),
    };
    if (!msg.custom) return { ...base, op: "component" };
    if (!this.isTargeted(urn, msg)) {
      return old
        ? { ...base, op: "untargeted", old }
        : { ...base, op: "skipped-create" };
    }
    this.targeted.add(urn);
    if (!isDynamic(msg.type)) return { ...base, op: "fake" };
    return this.planDynamic(base, msg, old);
  }

  /**
   * The old state by URN first, then by each alias in order (step_generator.go
   * `generateSteps`: "for _, urnOrAlias := range append([]resource.URN{urn}, aliases...)").
   * A resource moved under another parent without an alias has a new URN and no old state:
   * it is created, and the old URN is deleted at the end.
   */
  private matchOld(urn: string, msg: Registration): StateResource | undefined {
    const aliases = aliasUrns(msg.aliases, {
      stack: this.d.opts.stack,
      project: this.d.project.name,
      type: msg.type,
      name: msg.name,
      parentUrn: msg.parent,
      oldUrnOf: (u) => this.oldUrns.get(u),
    });
    for (const candidate of [urn, ...aliases]) {
      const old = this.d.store.live(candidate);
      if (!old || this.operated.has(candidate)) continue;
      this.operated.add(candidate);
      if (candidate !== urn) this.oldUrns.set(urn, candidate);
      return old;
    }
    return undefined;
  }

  private async planDynamic(
    base: PlanBase,
    msg: Registration,
    old: StateResource | undefined,
  ): Promise<Plan> {
    const { urn } = base;
    const step: Step = { op: "create", urn, type: msg.type, name: msg.name };
    // The default provider registers (and is configured) before its first resource.
    const provider = this.defaultProvider();
    const host = await this.d.providerHost(
      unwrapProps(provider.inputs) as Record<string, string>,
    );

    if (msg.importId && (!old || old.id !== msg.importId))
      return { ...base, op: "import", id: msg.importId };

    const replaceTarget = this.d.opts.replace?.includes(urn) ?? false;
    const goal = unwrapProps(msg.inputs);
    const oldInputs = old ? unwrapProps(old.inputs) : {};
    // ignoreChanges applies before Check (step_generator.go `generateSteps`).
    const news = old
      ? processIgnoreChanges(goal, oldInputs, msg.ignoreChanges)
      : goal;
    try {
      // A `--replace` target is Checked with no olds, like a new resource (step_generator.go
      // `generateSteps`: `recreating || wasExternal || sg.isTargetedReplace(urn) || !hasOld`).
      const inputs = await this.check(
        host,
        urn,
        old && !replaceTarget ? oldInputs : {},
        news,
      );
      if (!old) return { ...base, op: "create", inputs };

      const diff = await this.diff(
        host,
        urn,
        msg,
        old,
        oldInputs,
        inputs,
        replaceTarget,
      );
      if (!diff.changes) return { ...base, op: "same", old, inputs };
      if (diff.replaces.length === 0)
        return { ...base, op: "update", old, inputs };

      Object.assign(step, { op: "replace", replaces: diff.replaces });
      // step_generator.go `continueStepsFromDiff`: `new.Protect && old.Protect` refuses the
      // replacement, so unprotecting and replacing in one up is allowed.
      if (msg.protect && old.protect)
        throw new StepFailure(
          `unable to replace resource "${urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
        );
      this.replacing.add(urn);
      // The replacement is Checked again with the program's inputs and no olds: defaults kept
      // from the old resource no longer apply (continueStepsFromDiff, "recompute the default
      // values", step_generator.go); not for `--replace`, already Checked that way.
      const replacement = replaceTarget
        ? inputs
        : await this.check(host, urn, {}, goal);
      return {
        ...base,
        op: "replace",
        old,
        inputs: replacement,
        replaces: diff.replaces,
        // The option overrides the provider (continueStepsFromDiff: `goal.DeleteBeforeReplace`).
        deleteBeforeReplace:
          msg.deleteBeforeReplace ?? diff.deleteBeforeReplace,
      };
    } catch (err) {
      const message = this.d.recordFailure(step, err);
      if (err instanceof StepFailure) throw err;
      throw new StepFailure(`${urn}: ${message}`);
    }
  }

  private async check(
    host: ProviderHost,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const checked = await host.check(urn, olds, news);
    if (checked.failures.length > 0) {
      const why = checked.failures
        .map((f) => `${f.property}: ${f.reason}`)
        .join("; ");
      throw new StepFailure(`${urn}: check failed: ${why}`);
    }
    return checked.inputs;
  }

  /**
   * Diff, the engine's way (step_generator.go `(*stepGenerator).diff`, `diffResource`,
   * `applyReplaceOnChanges`):
   * - `--replace`: replace, blaming "id", without asking the provider;
   * - the provider's answer; "unknown" falls back to comparing old and new inputs, which is
   *   the only case where the engine knows which keys changed;
   * - `replaceOnChanges` turns changed keys into replacements, so for a provider that answers
   *   "some changes" without naming them, as the dynamic-provider host always does, it has no
   *   effect;
   * - `replacementTrigger` and `replaceWith`: as @pulumi/pulumi's resource.d.ts documents them;
   *   the step_generator.go read for this engine (pulumi/pulumi 00285a9b) predates both, so no
   *   Go function is followed here.
   */
  private async diff(
    host: ProviderHost,
    urn: string,
    msg: Registration,
    old: StateResource,
    oldInputs: Record<string, unknown>,
    inputs: Record<string, unknown>,
    replaceTarget: boolean,
  ): Promise<{
    changes: boolean;
    replaces: string[];
    deleteBeforeReplace: boolean;
  }> {
    if (replaceTarget)
      return { changes: true, replaces: ["id"], deleteBeforeReplace: false };
    const answer = await host.diff(
      old.id ?? "",
      urn,
      unwrapProps(old.outputs),
      inputs,
    );
    let changes = answer.changes;
    let changed: string[] = [];
    if (changes === undefined) {
      changed = changedKeys(
        oldInputs,
        processIgnoreChanges(inputs, oldInputs, msg.ignoreChanges),
      );
      changes = changed.length > 0;
    }
    const replaces = [...answer.replaces];
    if (changes)
      for (const key of changed)
        if (
          (msg.replaceOnChanges.includes(key) ||
            msg.replaceOnChanges.includes("*")) &&
          !replaces.includes(key)
        )
          replaces.push(key);
    if (
      msg.replacementTrigger !== undefined &&
      !sameValue(old.replacementTrigger, msg.replacementTrigger)
    )
      replaces.push("replacementTrigger");
    if (msg.replaceWith.some((u) => this.replacing.has(u)))
      replaces.push("replaceWith");
    return {
      changes: changes || replaces.length > 0,
      replaces,
      deleteBeforeReplace: answer.deleteBeforeReplace,
    };
  }

  /**
   * `--target`: only targeted resources change; with `--target-dependents`, also what depends
   * on a targeted one (parent, dependsOn, inputs, deletedWith). Follows step_generator.go
   * `isTargetedForUpdate`.
   */
  private isTargeted(urn: string, msg: Registration): boolean {
    const targets = this.d.opts.targets;
    if (!targets?.length || targets.includes(urn)) return true;
    return (
      this.d.opts.targetDependents === true &&
      [msg.parent, msg.deletedWith, ...msg.dependencies].some(
        (u) => u !== undefined && this.targeted.has(u),
      )
    );
  }

  private providerEntry?: StateResource;

  /** The default provider, registered once per deployment with the current stack config. */
  defaultProvider(): StateResource {
    this.providerEntry ??= this.d.saveProvider();
    this.operated.add(this.providerEntry.urn);
    return this.providerEntry;
  }

  /**
   * What to delete once the program has finished: replaced resources pending deletion and
   * everything the program no longer registers (or, for destroy, everything), limited by
   * `--target`. Grouped into antichains, dependents before what they depend on, children
   * before parents; each group runs in parallel and finishes before the next starts.
   * Follows step_generator.go `GenerateDeletes` and `ScheduleDeletes`.
   */
  deletes(options: { everything?: boolean } = {}): StateResource[][] {
    const targets = this.d.opts.targets;
    let condemned = this.d.store.state.resources.filter(
      (r) =>
        options.everything ||
        r.delete ||
        (!this.operated.has(r.urn) && !this.registered.has(r.urn)),
    );
    if (targets?.length)
      condemned = condemned.filter(
        (r) =>
          targets.includes(r.urn) ||
          (this.d.opts.targetDependents === true &&
            dependenciesOf(r).some((u) => targets.includes(u))),
      );
    const antichains: StateResource[][] = [];
    let left = condemned;
    while (left.length > 0) {
      const urns = new Set(left.map((r) => r.urn));
      const ready = left.filter((r) =>
        dependenciesOf(r).every((u) => !urns.has(u) || u === r.urn),
      );
      // A dependency cycle (which Pulumi forbids) must not loop forever.
      const group = ready.length > 0 ? ready : left;
      antichains.push(group);
      left = left.filter((r) => !group.includes(r));
    }
    return antichains.reverse();
  }
}

/** Parent, dependsOn and input dependencies, deletedWith and provider (DependencyGraph.DependenciesOf). */
export function dependenciesOf(r: StateResource): string[] {
  return [
    ...r.dependencies,
    ...(r.parent ? [r.parent] : []),
    ...(r.deletedWith ? [r.deletedWith] : []),
    ...(r.provider ? [r.provider.split("::").slice(0, -1).join("::")] : []),
  ];
}
