// Messages between the engine and the program runner (child process, over Node's IPC channel).

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
