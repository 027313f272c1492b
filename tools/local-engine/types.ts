// The engine's public shapes: what a caller passes to runEngine and what it gets back.

export type Command = "preview" | "up" | "refresh" | "destroy";

export type StepOp = "create" | "update" | "replace" | "delete" | "same";

export interface Step {
  /** For refresh: "update" = the refreshed state differs from the program, "delete" = gone. */
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** Replacements: whether the old resource was deleted before the new one was created. */
  deleteBeforeReplace?: boolean;
  /** Properties whose change forces the replacement ("id" for `--replace`). */
  replaces?: string[];
  /** Deletes: why the provider's Delete was not called (retainOnDelete, deletedWith). */
  skipped?: string;
  /** Deletes: the original of a replacement (delete-replaced), counted with the replace. */
  original?: boolean;
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
  /**
   * Create/Update/Delete operations at once, like `pulumi up --parallel`; default 4 × the CPUs,
   * as `pulumi` (pkg/cmd/pulumi/operations/up.go `defaultParallel`). Check and Diff always run
   * one resource at a time.
   */
  parallel?: number;
  /** `up --skip-preview`: no preview deployment before the update. */
  skipPreview?: boolean;
  /** `up --refresh`: refresh every resource before the update, in the same deployment. */
  refresh?: boolean;
  /**
   * `refresh --run-program` / `destroy --run-program`: configure the provider from the current
   * stack config instead of the one saved at the last up.
   */
  runProgram?: boolean;
  /** `--target <urn>`: only these resources are created, updated, replaced or deleted. */
  targets?: string[];
  /** `--target-dependents`: with targets, their dependents too. */
  targetDependents?: boolean;
  /** `--replace <urn>`: replace these resources even though nothing changed. */
  replace?: string[];
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
  /** Everything the engine printed (plan, program output, provider output, errors, summary). */
  output: string;
  /** The steps of the deployment that changed things (for `up`, the update, not its preview). */
  steps: Step[];
  /** For `up` without skipPreview: the steps its preview planned. */
  previewSteps?: Step[];
  /** The checkpoint as on disk (secrets are ciphertext envelopes); undefined if none exists. */
  state: import("./state").StackState | undefined;
  /** Stack outputs in flight form (secrets as `{[SIG]: SECRET, value}`). */
  stackOutputs: Record<string, unknown>;
  /** What the provider host processes printed (every deployment's), for leak scans. */
  hostOutput: string;
  errors: string[];
}
