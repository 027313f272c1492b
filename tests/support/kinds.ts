// One case per row of the kinds table, for every suite that exercises each kind: where the
// emulator keeps the secret, the scope arguments a resource gives, and what its outputs say.
// Typed by KindName, so a new row of the table fails to compile here until it has a case.
import type { FamilyId } from "../../tools/github-emulator";
import type { KindName } from "../../provider/kinds";

export interface KindCase {
  kind: KindName;
  /** The emulator's family serving the kind. */
  family: FamilyId;
  /** The emulator's scope selector: "acme", "acme/api", "acme/api/<environment>", "octocat". */
  scope: string;
  /** Scope (and, for organization kinds, visibility and selection) arguments. */
  args: Record<string, unknown>;
  /** Scope outputs the resource reports. */
  outputs: Record<string, unknown>;
  /** Kinds with selected repositories: arguments of a secret whose selection another resource owns. */
  selection?: {
    args: Record<string, unknown>;
    /** Arguments that make the list unmanageable (GitHub answers 409), if the kind has them. */
    notSelected?: Record<string, unknown>;
  };
}

const byKind: Record<KindName, Omit<KindCase, "kind">> = {
  RepoSecret: {
    family: "actions-repo",
    scope: "acme/api",
    args: { repository: "api" },
    outputs: { owner: "acme", repository: "api" },
  },
  EnvironmentSecret: {
    family: "actions-environment",
    scope: "acme/api/production env/with space",
    args: { repository: "api", environment: "production env/with space" },
    outputs: {
      owner: "acme",
      repository: "api",
      environment: "production env/with space",
    },
  },
  OrgSecret: {
    family: "actions-org",
    scope: "acme",
    args: {
      org: "acme",
      visibility: "selected",
      selectedRepositoryIds: [102, 101],
    },
    outputs: {
      org: "acme",
      visibility: "selected",
      selectedRepositoryIds: [101, 102],
    },
    selection: {
      args: { org: "acme", visibility: "selected" },
      notSelected: { org: "acme", visibility: "all" },
    },
  },
  CodespacesSecret: {
    family: "codespaces-repo",
    scope: "acme/web",
    args: { repository: "web" },
    outputs: { owner: "acme", repository: "web" },
  },
  AgentSecret: {
    family: "agents-repo",
    scope: "acme/infra",
    args: { owner: "acme", repository: "infra" },
    outputs: { owner: "acme", repository: "infra" },
  },
  DependabotSecret: {
    family: "dependabot-repo",
    scope: "acme/api",
    args: { repository: "api" },
    outputs: { owner: "acme", repository: "api" },
  },
  DependabotOrgSecret: {
    family: "dependabot-org",
    scope: "acme",
    args: { selectedRepositoryIds: [103] },
    outputs: {
      org: "acme",
      visibility: "selected",
      selectedRepositoryIds: [103],
    },
    selection: {
      args: { visibility: "selected" },
      notSelected: { visibility: "private" },
    },
  },
  CodespacesOrgSecret: {
    family: "codespaces-org",
    scope: "acme",
    args: { org: "acme", visibility: "all" },
    outputs: { org: "acme", visibility: "all" },
    selection: {
      args: { org: "acme", visibility: "selected" },
      notSelected: { org: "acme", visibility: "all" },
    },
  },
  CodespacesUserSecret: {
    family: "codespaces-user",
    scope: "octocat",
    args: { selectedRepositoryIds: [201] },
    outputs: { selectedRepositoryIds: [201] },
    selection: { args: {} },
  },
  AgentOrgSecret: {
    family: "agents-org",
    scope: "acme",
    args: { org: "acme" },
    outputs: { org: "acme", visibility: "private" },
    selection: {
      args: { org: "acme", visibility: "selected" },
      notSelected: { org: "acme", visibility: "all" },
    },
  },
};

/** Every kind's case, in the table's order. */
export const kindCases: KindCase[] = Object.entries(byKind).map(
  ([kind, rest]) => ({ kind: kind as KindName, ...rest }),
);

export function kindCase(kind: KindName): KindCase {
  return { kind, ...byKind[kind] };
}

/** The kinds with selected repositories, with their selection arguments. */
export const selectionCases = kindCases.filter(
  (c): c is KindCase & Required<Pick<KindCase, "selection">> =>
    c.selection !== undefined,
);
