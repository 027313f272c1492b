// The resource classes users declare. Each is made by `secretClass` from a row of the kinds table
// (provider/kinds.ts); the declarations at the bottom of this file add only what TypeScript
// needs to know of each: the shape of its arguments and outputs.

import * as pulumi from "@pulumi/pulumi";
import {
  claimantInput,
  kinds,
  secretOutputs,
  type SecretKind,
} from "../provider/kinds";
import { forwarder } from "./forwarder";
import { refuseImport } from "./options";

/**
 * Where the provider reads a secret's value (`valueFrom`): exactly one of a variable of the
 * pulumi process, a file (or one key of a dotenv file) and a command.
 */
export type ValueSourceArgs =
  | { env: pulumi.Input<string> }
  | { file: pulumi.Input<string>; key?: pulumi.Input<string> }
  | {
      command: pulumi.Input<pulumi.Input<string>[]>;
      timeoutSeconds?: pulumi.Input<number>;
    };

/** The module part of every type token: `pulumi-nodejs:dynamic/github-secrets:RepoSecret`. */
export const typeModule = "github-secrets";

/** The secret's value: give exactly one of `value`, `encryptedValue` and `valueFrom`. */
export interface SecretValueArgs {
  /** Name of the secret. GitHub stores it upper case; compared without regard to case. */
  secretName: pulumi.Input<string>;
  /** Plaintext; sealed by the provider for the scope's public key. Kept as a Pulumi secret. */
  value?: pulumi.Input<string>;
  /** A value you sealed yourself (base64 libsodium sealed box); needs `keyId`. */
  encryptedValue?: pulumi.Input<string>;
  /** key_id of the public key `encryptedValue` was sealed for. */
  keyId?: pulumi.Input<string>;
  /**
   * Where the provider reads the value when it writes it, so the value never enters the Pulumi
   * state: `{ env: "NAME" }` (a variable of the pulumi process), `{ file: "path" }` (the whole
   * file) or `{ file: ".env", key: "NAME" }` (one key of a dotenv file), relative to the folder
   * Pulumi runs the program in, or `{ command: ["op", "read", "op://…"], timeoutSeconds?: 30 }`
   * (run without a shell, its standard output less one trailing newline). The state keeps the
   * description and a salted scrypt digest of the value, as a secret.
   */
  valueFrom?: pulumi.Input<ValueSourceArgs>;
  /**
   * With `valueFrom`: the source is read only when this changes (or the secret is created), and
   * nothing derived from the value is kept; `pulumi preview` then needs no access to the source.
   */
  valueVersion?: pulumi.Input<string>;
  /**
   * What the next `pulumi up` does when refresh found the value changed outside Pulumi:
   * `"overwrite"` (default) writes the declared value again, `"ignore"` leaves it.
   */
  onDrift?: pulumi.Input<"overwrite" | "ignore">;
  /**
   * A name of stack config `github-secrets:accounts` (its own credentials, API host, owner and
   * rate limits); default: the stack's `github:*` credentials.
   */
  account?: pulumi.Input<string>;
}

export interface RepositoryScopeArgs {
  /** Account that owns the repository; default: stack config `github:owner` or GITHUB_OWNER. */
  owner?: pulumi.Input<string>;
  /** Repository name without the owner, e.g. `repository.name` of a `github.Repository`. */
  repository: pulumi.Input<string>;
}

export interface EnvironmentScopeArgs extends RepositoryScopeArgs {
  /** Deployment environment name (any characters GitHub allows; URL-encoded by the provider). */
  environment: pulumi.Input<string>;
}

export interface OrganizationScopeArgs {
  /** Organization; default: stack config `github:owner` or GITHUB_OWNER. */
  org?: pulumi.Input<string>;
}

export type Visibility = "all" | "private" | "selected";

export interface SelectedRepositoriesArgs {
  /**
   * Repository ids (e.g. `repository.repoId`) that may use the secret; order does not matter.
   * Leave it out to leave the list as it is (e.g. managed by an `…SecretRepositories` resource).
   */
  selectedRepositoryIds?: pulumi.Input<pulumi.Input<number>[]>;
  /**
   * Repository names, `"api"` (of the secret's organization, or `github:owner`) or `"owner/api"`;
   * resolved to ids once per run and merged with `selectedRepositoryIds`. An unknown name fails.
   */
  selectedRepositories?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface VisibilityArgs extends SelectedRepositoriesArgs {
  /**
   * Which repositories of the organization may use the secret. Default: `"selected"` when
   * `selectedRepositoryIds` or `selectedRepositories` is given, else `"private"` (the least
   * exposure). Set `"selected"` yourself when an `…SecretRepositories` resource owns the list.
   */
  visibility?: pulumi.Input<Visibility>;
}

export interface SecretOutputs {
  /** The name as GitHub stores it (upper case). */
  readonly secretName: pulumi.Output<string>;
  /** The account that wrote it (undefined: the default account). */
  readonly account: pulumi.Output<string | undefined>;
  /** The API host the secret lives on (host:port). */
  readonly apiHost: pulumi.Output<string>;
  /** key_id of the public key the value was sealed for. */
  readonly keyId: pulumi.Output<string>;
  readonly createdAt: pulumi.Output<string>;
  readonly updatedAt: pulumi.Output<string>;
}

export interface RepositoryScopeOutputs {
  readonly owner: pulumi.Output<string>;
  readonly repository: pulumi.Output<string>;
}

export interface EnvironmentScopeOutputs extends RepositoryScopeOutputs {
  readonly environment: pulumi.Output<string>;
}

export interface OrganizationScopeOutputs {
  readonly org: pulumi.Output<string>;
}

export interface SelectedRepositoriesOutputs {
  readonly selectedRepositoryIds: pulumi.Output<number[] | undefined>;
}

export interface VisibilityOutputs extends SelectedRepositoriesOutputs {
  readonly visibility: pulumi.Output<Visibility>;
}

/** Outputs a kind's class exposes; the rest of the state is the provider's own. */
function declaredOutputs(kind: SecretKind): string[] {
  return [
    "secretName",
    "account",
    "apiHost",
    "keyId",
    "createdAt",
    "updatedAt",
    ...kind.scope.map((key) => key.arg),
    ...(kind.visibility ? ["visibility"] : []),
    ...(kind.selectedRepositories ? ["selectedRepositoryIds"] : []),
  ];
}

/** Base of every secret resource; the classes below only fix the kind. */
export abstract class SecretResource extends pulumi.dynamic.Resource {
  declare readonly secretName: pulumi.Output<string>;
  declare readonly account: pulumi.Output<string | undefined>;
  declare readonly apiHost: pulumi.Output<string>;
  declare readonly keyId: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;

  protected constructor(
    kind: SecretKind,
    provider: pulumi.dynamic.ResourceProvider,
    name: string,
    args: SecretValueArgs & Record<string, unknown>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    if (args === undefined || args === null) {
      throw new Error(
        `${kind.name} "${name}": missing arguments (secretName, value, …)`,
      );
    }
    refuseImport(
      kind.name,
      name,
      opts,
      "declare the secret with its value: the first `pulumi up` writes it, and GitHub adopts an existing secret of that name",
    );
    const props: pulumi.Inputs = {};
    // Outputs must be present (undefined) for the class to expose them; arguments override.
    for (const output of declaredOutputs(kind)) props[output] = undefined;
    Object.assign(props, args);
    // Names the resource to the provider, so two resources aimed at one secret are an error.
    // The logical name, not the URN: the URN is not known until registration, and waiting
    // for it would hold the inputs back.
    props[claimantInput] = name;
    if (args.value !== undefined) props.value = pulumi.secret(args.value);
    if (args.encryptedValue !== undefined)
      props.encryptedValue = pulumi.secret(args.encryptedValue);
    super(
      provider,
      name,
      props,
      {
        ...opts,
        additionalSecretOutputs: [
          ...new Set([
            ...(opts?.additionalSecretOutputs ?? []),
            ...secretOutputs,
          ]),
        ],
      },
      typeModule,
      kind.name,
    );
  }
}

type SecretClass<Args, Outputs> = new (
  name: string,
  args: Args,
  opts?: pulumi.CustomResourceOptions,
) => SecretResource & Outputs;

/** A resource class for one row of the kinds table. */
function secretClass<Args extends SecretValueArgs, Outputs>(
  kind: SecretKind,
): SecretClass<Args, Outputs> {
  // One forwarder per kind: Pulumi serializes it once and reuses the text for every resource.
  const provider = forwarder(kind.name);
  const cls = class extends SecretResource {
    constructor(name: string, args: Args, opts?: pulumi.CustomResourceOptions) {
      super(kind, provider, name, args as Args & Record<string, unknown>, opts);
    }
  };
  Object.defineProperty(cls, "name", { value: kind.name });
  return cls as unknown as SecretClass<Args, Outputs>;
}

export type RepoSecretArgs = RepositoryScopeArgs & SecretValueArgs;
export type EnvironmentSecretArgs = EnvironmentScopeArgs & SecretValueArgs;
export type OrgSecretArgs = OrganizationScopeArgs &
  VisibilityArgs &
  SecretValueArgs;
export type CodespacesSecretArgs = RepoSecretArgs;
export type AgentSecretArgs = RepoSecretArgs;
export type DependabotSecretArgs = RepoSecretArgs;
export type DependabotOrgSecretArgs = OrgSecretArgs;
export type CodespacesOrgSecretArgs = OrgSecretArgs;
export type CodespacesUserSecretArgs = SelectedRepositoriesArgs &
  SecretValueArgs;
export type AgentOrgSecretArgs = OrgSecretArgs;

type RepoOutputs = SecretOutputs & RepositoryScopeOutputs;
type OrgOutputs = SecretOutputs & OrganizationScopeOutputs & VisibilityOutputs;

/** A GitHub Actions secret of a repository. */
export const RepoSecret = secretClass<
  RepoSecretArgs,
  SecretOutputs & RepositoryScopeOutputs
>(kinds.RepoSecret);
export type RepoSecret = InstanceType<typeof RepoSecret>;
/** A GitHub Actions secret of a deployment environment. */
export const EnvironmentSecret = secretClass<
  EnvironmentSecretArgs,
  SecretOutputs & EnvironmentScopeOutputs
>(kinds.EnvironmentSecret);
export type EnvironmentSecret = InstanceType<typeof EnvironmentSecret>;
/** A GitHub Actions secret of an organization, with its visibility. */
export const OrgSecret = secretClass<
  OrgSecretArgs,
  SecretOutputs & OrganizationScopeOutputs & VisibilityOutputs
>(kinds.OrgSecret);
export type OrgSecret = InstanceType<typeof OrgSecret>;
/** A Codespaces secret of a repository. */
export const CodespacesSecret = secretClass<
  CodespacesSecretArgs,
  SecretOutputs & RepositoryScopeOutputs
>(kinds.CodespacesSecret);
export type CodespacesSecret = InstanceType<typeof CodespacesSecret>;
/** A Copilot coding agent secret of a repository (a kind @pulumi/github does not have). */
export const AgentSecret = secretClass<
  AgentSecretArgs,
  SecretOutputs & RepositoryScopeOutputs
>(kinds.AgentSecret);
export type AgentSecret = InstanceType<typeof AgentSecret>;
/** A Dependabot secret of a repository. */
export const DependabotSecret = secretClass<DependabotSecretArgs, RepoOutputs>(
  kinds.DependabotSecret,
);
export type DependabotSecret = InstanceType<typeof DependabotSecret>;
/** A Dependabot secret of an organization, with its visibility. */
export const DependabotOrgSecret = secretClass<
  DependabotOrgSecretArgs,
  OrgOutputs
>(kinds.DependabotOrgSecret);
export type DependabotOrgSecret = InstanceType<typeof DependabotOrgSecret>;
/** A Codespaces secret of an organization, with its visibility. */
export const CodespacesOrgSecret = secretClass<
  CodespacesOrgSecretArgs,
  OrgOutputs
>(kinds.CodespacesOrgSecret);
export type CodespacesOrgSecret = InstanceType<typeof CodespacesOrgSecret>;
/** A Codespaces secret of the authenticated user, available in the selected repositories. */
export const CodespacesUserSecret = secretClass<
  CodespacesUserSecretArgs,
  SecretOutputs & SelectedRepositoriesOutputs
>(kinds.CodespacesUserSecret);
export type CodespacesUserSecret = InstanceType<typeof CodespacesUserSecret>;
/** A Copilot coding agent secret of an organization, with its visibility. */
export const AgentOrgSecret = secretClass<AgentOrgSecretArgs, OrgOutputs>(
  kinds.AgentOrgSecret,
);
export type AgentOrgSecret = InstanceType<typeof AgentOrgSecret>;
