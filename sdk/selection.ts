// Resources that own an organization (or user) secret's repository selection, one class per
// derived row of provider/selection.ts: `<Kind>Repositories` (the whole list) and
// `<Kind>Repository` (one repository). Declare the secret without `selectedRepositoryIds` and
// with visibility "selected"; pass its `secretName` output so the selection is written after it.

import * as pulumi from "@pulumi/pulumi";
import {
  kinds,
  selectionName,
  type SecretKind,
  type SelectionKind,
} from "../provider/kinds";
import { forwarder } from "./forwarder";
import { refuseImport } from "./options";
import { typeModule } from "./resources";

interface SelectionScopeArgs {
  /** Organization; default: stack config `github:owner` or GITHUB_OWNER. (Not for user secrets.) */
  org?: pulumi.Input<string>;
  /** The secret's account (stack config `github-secrets:accounts`); default: the stack's. */
  account?: pulumi.Input<string>;
  /** The secret's name, best the `secretName` output of the secret resource. */
  secretName: pulumi.Input<string>;
}

export interface SecretRepositoriesArgs extends SelectionScopeArgs {
  /** Repository ids; with `selectedRepositories`, the union is the selection. */
  selectedRepositoryIds?: pulumi.Input<pulumi.Input<number>[]>;
  /** Repository names, `"api"` or `"owner/api"`, resolved to ids. */
  selectedRepositories?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface SecretRepositoryArgs extends SelectionScopeArgs {
  /** The repository's id (e.g. `repository.repoId`); or give `repository`. */
  repositoryId?: pulumi.Input<number>;
  /** The repository's name, `"api"` or `"owner/api"`; or give `repositoryId`. */
  repository?: pulumi.Input<string>;
}

export type UserSecretRepositoriesArgs = Omit<SecretRepositoriesArgs, "org">;
export type UserSecretRepositoryArgs = Omit<SecretRepositoryArgs, "org">;

/** Base of the selection resources; the classes below only fix the row. */
export abstract class SelectionResource extends pulumi.dynamic.Resource {
  declare readonly secretName: pulumi.Output<string>;
}

export interface SecretRepositoriesOutputs {
  readonly selectedRepositoryIds: pulumi.Output<number[]>;
}
export interface SecretRepositoryOutputs {
  readonly repositoryId: pulumi.Output<number>;
}

type SelectionClass<Args, Outputs> = new (
  name: string,
  args: Args,
  opts?: pulumi.CustomResourceOptions,
) => SelectionResource & Outputs;

const outputsOf: Record<SelectionKind["owns"], string[]> = {
  list: ["secretName", "account", "apiHost", "selectedRepositoryIds"],
  member: ["secretName", "account", "apiHost", "repositoryId"],
};

function selectionClass<Args extends object, Outputs>(
  secret: SecretKind,
  owns: SelectionKind["owns"],
): SelectionClass<Args, Outputs> {
  const typeName = selectionName(secret, owns);
  const provider = forwarder(typeName);
  const cls = class extends SelectionResource {
    constructor(name: string, args: Args, opts?: pulumi.CustomResourceOptions) {
      if (args === undefined || args === null)
        throw new Error(`${typeName} "${name}": missing arguments`);
      refuseImport(
        typeName,
        name,
        opts,
        "declare the selection: the first `pulumi up` writes it",
      );
      const props: pulumi.Inputs = {};
      for (const output of [
        ...outputsOf[owns],
        ...secret.scope.map((k) => k.arg),
      ])
        props[output] = undefined;
      Object.assign(props, args);
      super(provider, name, props, opts, typeModule, typeName);
    }
  };
  Object.defineProperty(cls, "name", { value: typeName });
  return cls as unknown as SelectionClass<Args, Outputs>;
}

type Org = { readonly org: pulumi.Output<string> };
type List = SecretRepositoriesOutputs & Org;
type One = SecretRepositoryOutputs & Org;

/** The whole repository selection of an `OrgSecret`. */
export const OrgSecretRepositories = selectionClass<
  SecretRepositoriesArgs,
  List
>(kinds.OrgSecret, "list");
/** One repository in the selection of an `OrgSecret`. */
export const OrgSecretRepository = selectionClass<SecretRepositoryArgs, One>(
  kinds.OrgSecret,
  "member",
);
/** The whole repository selection of a `DependabotOrgSecret`. */
export const DependabotOrgSecretRepositories = selectionClass<
  SecretRepositoriesArgs,
  List
>(kinds.DependabotOrgSecret, "list");
/** One repository in the selection of a `DependabotOrgSecret`. */
export const DependabotOrgSecretRepository = selectionClass<
  SecretRepositoryArgs,
  One
>(kinds.DependabotOrgSecret, "member");
/** The whole repository selection of a `CodespacesOrgSecret`. */
export const CodespacesOrgSecretRepositories = selectionClass<
  SecretRepositoriesArgs,
  List
>(kinds.CodespacesOrgSecret, "list");
/** One repository in the selection of a `CodespacesOrgSecret`. */
export const CodespacesOrgSecretRepository = selectionClass<
  SecretRepositoryArgs,
  One
>(kinds.CodespacesOrgSecret, "member");
/** The whole repository selection of an `AgentOrgSecret`. */
export const AgentOrgSecretRepositories = selectionClass<
  SecretRepositoriesArgs,
  List
>(kinds.AgentOrgSecret, "list");
/** One repository in the selection of an `AgentOrgSecret`. */
export const AgentOrgSecretRepository = selectionClass<
  SecretRepositoryArgs,
  One
>(kinds.AgentOrgSecret, "member");
/** The whole repository selection of a `CodespacesUserSecret`. */
export const CodespacesUserSecretRepositories = selectionClass<
  UserSecretRepositoriesArgs,
  SecretRepositoriesOutputs
>(kinds.CodespacesUserSecret, "list");
/** One repository in the selection of a `CodespacesUserSecret`. */
export const CodespacesUserSecretRepository = selectionClass<
  UserSecretRepositoryArgs,
  SecretRepositoryOutputs
>(kinds.CodespacesUserSecret, "member");
