// Every kind of GitHub secret is one row of this table. The lifecycle (lifecycle.ts), the
// validation (validate.ts) and the SDK classes (sdk/resources.ts) interpret rows; a new kind is a
// new row, never a new branch elsewhere. The resources derived from the rows (repository
// selections, a SecretSet's pruning) and the hidden inputs the classes set are named here too,
// so the SDK needs nothing else of the provider.

/** An argument that names part of a secret's scope, and where GitHub expects it in the path. */
export interface ScopeKey {
  /** Resource argument (and output) name. */
  readonly arg: "owner" | "org" | "repository" | "environment";
  /** Path parameter in GitHub's route template. */
  readonly param: string;
  /** Stack config key and environment variable that supply a default, when there is one. */
  readonly fallback?: { readonly configKey: string; readonly envVar: string };
  /** Words for messages: "repository", "organization"… */
  readonly label: string;
}

const owner: ScopeKey = {
  arg: "owner",
  param: "owner",
  fallback: { configKey: "github:owner", envVar: "GITHUB_OWNER" },
  label: "repository owner",
};
const org: ScopeKey = {
  arg: "org",
  param: "org",
  // @pulumi/github calls the organization "owner" too, so one stack config serves both.
  fallback: { configKey: "github:owner", envVar: "GITHUB_OWNER" },
  label: "organization",
};
const repository: ScopeKey = {
  arg: "repository",
  param: "repo",
  label: "repository",
};
const environment: ScopeKey = {
  arg: "environment",
  param: "environment_name",
  label: "environment",
};

export interface SecretKind {
  /** Class name in the SDK and type name in the resource's type token. */
  readonly name: string;
  /** GitHub route of the secrets collection, with `{param}` placeholders for the scope. */
  readonly collection: string;
  /** Scope arguments, outermost first. */
  readonly scope: readonly ScopeKey[];
  /** Whether the secret carries `visibility` (all/private/selected), as organization secrets do. */
  readonly visibility: boolean;
  /** Whether the secret carries `selected_repository_ids`. */
  readonly selectedRepositories: boolean;
  /**
   * The collection as older GitHub Enterprise Servers serve it (the repository addressed by
   * `{repository_id}`), used when the server answers 404 to `collection` but has the repository.
   */
  readonly legacyCollection?: string;
  /** `X-GitHub-Api-Version` the endpoints are documented with, where the default will not do. */
  readonly apiVersion?: string;
  /** What the secret is for, for documentation and messages. */
  readonly description: string;
}

// Agents endpoints are documented only under API version 2026-03-10
// (https://docs.github.com/rest/agents/secrets). Other endpoints get no version header: older
// Enterprise Servers answer 400 to unknown versions.
const agentsApiVersion = "2026-03-10";

export const kinds = {
  RepoSecret: {
    name: "RepoSecret",
    collection: "/repos/{owner}/{repo}/actions/secrets",
    scope: [owner, repository],
    visibility: false,
    selectedRepositories: false,
    description: "GitHub Actions secret of a repository",
  },
  EnvironmentSecret: {
    name: "EnvironmentSecret",
    collection: "/repos/{owner}/{repo}/environments/{environment_name}/secrets",
    // Environment secrets by repository id, as older Enterprise Servers serve them only: the
    // route of the Actions secrets docs (https://docs.github.com/rest/actions/secrets) in the
    // versions that document environment secrets under /repositories/{repository_id}.
    legacyCollection:
      "/repositories/{repository_id}/environments/{environment_name}/secrets",
    scope: [owner, repository, environment],
    visibility: false,
    selectedRepositories: false,
    description: "GitHub Actions secret of a deployment environment",
  },
  OrgSecret: {
    name: "OrgSecret",
    collection: "/orgs/{org}/actions/secrets",
    scope: [org],
    visibility: true,
    selectedRepositories: true,
    description: "GitHub Actions secret of an organization",
  },
  CodespacesSecret: {
    name: "CodespacesSecret",
    collection: "/repos/{owner}/{repo}/codespaces/secrets",
    scope: [owner, repository],
    visibility: false,
    selectedRepositories: false,
    description: "Codespaces secret of a repository",
  },
  AgentSecret: {
    name: "AgentSecret",
    collection: "/repos/{owner}/{repo}/agents/secrets",
    scope: [owner, repository],
    visibility: false,
    selectedRepositories: false,
    apiVersion: agentsApiVersion,
    description: "Copilot coding agent secret of a repository",
  },
  DependabotSecret: {
    name: "DependabotSecret",
    collection: "/repos/{owner}/{repo}/dependabot/secrets",
    scope: [owner, repository],
    visibility: false,
    selectedRepositories: false,
    description: "Dependabot secret of a repository",
  },
  DependabotOrgSecret: {
    name: "DependabotOrgSecret",
    collection: "/orgs/{org}/dependabot/secrets",
    scope: [org],
    visibility: true,
    selectedRepositories: true,
    description: "Dependabot secret of an organization",
  },
  CodespacesOrgSecret: {
    name: "CodespacesOrgSecret",
    collection: "/orgs/{org}/codespaces/secrets",
    scope: [org],
    visibility: true,
    selectedRepositories: true,
    description: "Codespaces secret of an organization",
  },
  CodespacesUserSecret: {
    name: "CodespacesUserSecret",
    // The authenticated user's own secrets: no scope argument; GitHub treats the selection as
    // the only visibility there is.
    collection: "/user/codespaces/secrets",
    scope: [],
    visibility: false,
    selectedRepositories: true,
    description: "Codespaces secret of the authenticated user",
  },
  AgentOrgSecret: {
    name: "AgentOrgSecret",
    collection: "/orgs/{org}/agents/secrets",
    scope: [org],
    visibility: true,
    selectedRepositories: true,
    apiVersion: agentsApiVersion,
    description: "Copilot coding agent secret of an organization",
  },
} as const satisfies Record<string, SecretKind>;

export type KindName = keyof typeof kinds;

export function kindByName(name: string): SecretKind {
  const kind = (kinds as Record<string, SecretKind>)[name];
  if (!kind) {
    throw new Error(
      `pulumi-github-secrets: unknown secret kind "${name}" (known: ${Object.keys(kinds).join(", ")}); ` +
        "the state was written by a newer version of this package",
    );
  }
  return kind;
}

/**
 * Outputs the engine must store as secrets (additionalSecretOutputs of every resource class).
 * The engine re-marks only outputs named like a secret input; the digest is derived from the
 * value, so it is listed explicitly.
 */
export const secretOutputs = [
  "value",
  "encryptedValue",
  "valueDigest",
] as const;

/**
 * The hidden input naming the resource that declares a secret (its logical name), set by the
 * SDK classes so check can refuse two resources aimed at one secret. Two resources of the same
 * name under different parents count as one.
 */
export const claimantInput = "__claimant";

/**
 * The checked input where check keeps the ids it resolved repository names to ("host
 * owner/name" → id), so the next check of the same names sends no request (repositories.ts).
 */
export const repositoryIdsInput = "__repositoryIds";

/**
 * The checked input where check keeps the slow digest of a `valueFrom` source's value (without
 * valueVersion), as a Pulumi secret: the next check compares against it and keeps its salt.
 * Hidden from `preview --diff` by its "__" (the CLI's IsInternalPropertyKey).
 */
export const valueDigestInput = "__valueDigest";

/** Type name of a SecretSet's pruning resource. */
export const pruneType = "SecretSetPrune";

/** One derived row: which secret kind, and whether the resource owns the list or one member. */
export interface SelectionKind {
  readonly name: string;
  readonly secret: SecretKind;
  readonly owns: "list" | "member";
}

/** `<Kind>Repositories` (the whole list) and `<Kind>Repository` (one member). */
export function selectionName(
  secret: SecretKind,
  owns: SelectionKind["owns"],
): string {
  return `${secret.name}${owns === "list" ? "Repositories" : "Repository"}`;
}

/** The selection resources: two for every row with selected repositories. */
export const selectionKinds: ReadonlyMap<string, SelectionKind> = new Map(
  Object.values(kinds as Record<string, SecretKind>)
    .filter((secret) => secret.selectedRepositories)
    .flatMap((secret) =>
      (["list", "member"] as const).map((owns): [string, SelectionKind] => [
        selectionName(secret, owns),
        { name: selectionName(secret, owns), secret, owns },
      ]),
    ),
);
