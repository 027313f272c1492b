// One JSON checkpoint per stack, rewritten atomically (temp file + rename) after every step.
import * as fs from "node:fs";
import * as path from "node:path";
import { SecretsManager, type SecretsDescriptor } from "./secrets";

/** dynamic: served by the dynamic-provider host; fake: a real provider's resource, faked
 * (fakes.ts); component: no provider; provider: the default provider of dynamic resources. */
export type ResourceKind = "dynamic" | "fake" | "component" | "provider";

export interface StateResource {
  urn: string;
  type: string;
  name: string;
  kind: ResourceKind;
  custom: boolean;
  id?: string;
  parent?: string;
  /** Inputs and outputs in flight form: secrets as `{[SIG]: SECRET, value}`. */
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  dependencies: string[];
  additionalSecretOutputs?: string[];
  deleteBeforeReplace?: boolean;
  /** The provider reference `<urn>::<id>` (dynamic resources: the default provider). */
  provider?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  /** The URN whose deletion makes this resource's own unnecessary. */
  deletedWith?: string;
  /** The last `replacementTrigger` value; a different one replaces the resource. */
  replacementTrigger?: unknown;
  /** Names of the top-level outputs that are secret (their values are envelopes). */
  secretOutputs?: string[];
  /** A replaced resource whose deletion is still pending (create-before-delete). */
  delete?: boolean;
}

export interface StackState {
  version: 1;
  project: string;
  stack: string;
  secrets?: SecretsDescriptor;
  resources: StateResource[];
}

export function stateDir(cwd: string): string {
  return path.join(cwd, ".pulumi-local", "stacks");
}

export class StateStore {
  readonly file: string;
  readonly secrets: SecretsManager;
  state: StackState;

  constructor(
    cwd: string,
    project: string,
    stack: string,
    env: NodeJS.ProcessEnv,
  ) {
    const dir = stateDir(cwd);
    this.file = path.join(dir, `${stack}.json`);
    let onDisk: StackState | undefined;
    if (fs.existsSync(this.file)) {
      onDisk = JSON.parse(fs.readFileSync(this.file, "utf8")) as StackState;
    }
    this.secrets = SecretsManager.open(
      onDisk?.secrets,
      env,
      path.join(dir, `${stack}.key`),
    );
    this.state = {
      version: 1,
      project,
      stack,
      secrets: this.secrets.descriptor,
      resources: (onDisk?.resources ?? []).map((r) => ({
        ...r,
        inputs: this.secrets.open(r.inputs) as Record<string, unknown>,
        outputs: this.secrets.open(r.outputs) as Record<string, unknown>,
      })),
    };
  }

  /** The checkpoint as written: every secret value is a ciphertext envelope. */
  sealed(): StackState {
    return {
      ...this.state,
      resources: this.state.resources.map((r) => ({
        ...r,
        inputs: this.secrets.seal(r.inputs) as Record<string, unknown>,
        outputs: this.secrets.seal(r.outputs) as Record<string, unknown>,
      })),
    };
  }

  /** Synchronous on purpose: steps finishing together cannot interleave their writes. */
  save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.secrets.persist();
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.sealed(), null, 2) + "\n", {
      mode: 0o600,
    });
    fs.renameSync(tmp, this.file);
  }

  live(urn: string): StateResource | undefined {
    return this.state.resources.find((r) => r.urn === urn && !r.delete);
  }

  /**
   * Puts `res` where `old` was (a resource matched by an alias keeps its place under its new
   * URN), else where the live resource with its URN was, else at the end.
   */
  upsert(res: StateResource, old?: StateResource): void {
    const i = old
      ? this.state.resources.indexOf(old)
      : this.state.resources.findIndex((r) => r.urn === res.urn && !r.delete);
    if (i >= 0) this.state.resources[i] = res;
    else this.state.resources.push(res);
  }

  remove(res: StateResource): void {
    this.state.resources = this.state.resources.filter((r) => r !== res);
  }
}
