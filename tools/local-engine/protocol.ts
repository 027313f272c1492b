// Messages between the engine and the program runner (child process, over Node's IPC channel).

/** One alias as the SDK sends it (pulumirpc.Alias): a URN, or a spec relative to the resource. */
export interface AliasSpec {
  urn?: string;
  name?: string;
  type?: string;
  stack?: string;
  project?: string;
  parentUrn?: string;
  noParent?: boolean;
}

export interface Registration {
  t: "register";
  seq: number;
  type: string;
  name: string;
  parent?: string;
  custom: boolean;
  /** Serialized inputs: secrets as `{[SIG]: SECRET, value}`, unknowns as the unknown GUID. */
  inputs: Record<string, unknown>;
  dependencies: string[];
  additionalSecretOutputs: string[];
  deleteBeforeReplace?: boolean;
  ignoreChanges: string[];
  replaceOnChanges: string[];
  retainOnDelete?: boolean;
  protect?: boolean;
  aliases: AliasSpec[];
  /** The `import` option: the id of an existing resource to adopt. */
  importId?: string;
  /** The `deletedWith` option: the URN whose deletion makes this one's unnecessary. */
  deletedWith?: string;
  /** The `replaceWith` option: URNs whose replacement replaces this resource too. */
  replaceWith: string[];
  /** The `replacementTrigger` option, serialized; a change replaces the resource. */
  replacementTrigger?: unknown;
}

export type ChildMessage =
  | Registration
  | { t: "outputs"; urn: string; outputs: Record<string, unknown> }
  | { t: "done"; errors: string[] };

export type ParentMessage =
  | {
      t: "registered";
      seq: number;
      urn: string;
      id: string;
      outputs: Record<string, unknown>;
    }
  | { t: "failed"; seq: number; message: string };
