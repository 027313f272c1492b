// One row per secret family. The server turns every row into the same set of routes with one
// generic handler (see handlers.ts); differences between families live here, not in switches.

export type ScopeKind = "repo" | "environment" | "org" | "user";

export type FamilyId =
  | "actions-repo"
  | "actions-environment"
  | "actions-org"
  | "codespaces-repo"
  | "codespaces-org"
  | "codespaces-user"
  | "dependabot-repo"
  | "dependabot-org"
  | "agents-repo"
  | "agents-org";

export interface Family {
  id: FamilyId;
  scope: ScopeKind;
  /** Collection path template as in GitHub's OpenAPI description. */
  basePath: string;
  /**
   * An old GitHub Enterprise Server (`legacyEnvironmentSecrets` mode) serves this family only at
   * its repository-id path (`byIdTemplate(basePath)`), not at `basePath`.
   */
  legacyByIdOnly?: boolean;
  /**
   * "settable": org secrets take `visibility` (all | private | selected) on PUT.
   * "always-selected": user secrets take no visibility; GitHub reports them as "selected".
   */
  visibility?: "settable" | "always-selected";
  /** Serves `/{secret_name}/repositories` and `/{secret_name}/repositories/{repository_id}`. */
  selectedRepositories?: boolean;
  /** A repository family that also lists the org secrets shared with the repository. */
  organizationSecrets?: { path: string; orgFamily: FamilyId };
}

export const FAMILIES: readonly Family[] = [
  {
    id: "actions-repo",
    scope: "repo",
    basePath: "/repos/{owner}/{repo}/actions/secrets",
    organizationSecrets: {
      path: "/repos/{owner}/{repo}/actions/organization-secrets",
      orgFamily: "actions-org",
    },
  },
  {
    id: "actions-environment",
    scope: "environment",
    basePath: "/repos/{owner}/{repo}/environments/{environment_name}/secrets",
    legacyByIdOnly: true,
  },
  {
    id: "actions-org",
    scope: "org",
    basePath: "/orgs/{org}/actions/secrets",
    visibility: "settable",
    selectedRepositories: true,
  },
  {
    id: "codespaces-repo",
    scope: "repo",
    basePath: "/repos/{owner}/{repo}/codespaces/secrets",
  },
  {
    id: "codespaces-org",
    scope: "org",
    basePath: "/orgs/{org}/codespaces/secrets",
    visibility: "settable",
    selectedRepositories: true,
  },
  {
    id: "codespaces-user",
    scope: "user",
    basePath: "/user/codespaces/secrets",
    visibility: "always-selected",
    selectedRepositories: true,
  },
  {
    id: "dependabot-repo",
    scope: "repo",
    basePath: "/repos/{owner}/{repo}/dependabot/secrets",
  },
  {
    id: "dependabot-org",
    scope: "org",
    basePath: "/orgs/{org}/dependabot/secrets",
    visibility: "settable",
    selectedRepositories: true,
  },
  {
    id: "agents-repo",
    scope: "repo",
    basePath: "/repos/{owner}/{repo}/agents/secrets",
    organizationSecrets: {
      path: "/repos/{owner}/{repo}/agents/organization-secrets",
      orgFamily: "agents-org",
    },
  },
  {
    id: "agents-org",
    scope: "org",
    basePath: "/orgs/{org}/agents/secrets",
    visibility: "settable",
    selectedRepositories: true,
  },
];

export function family(id: FamilyId): Family {
  const f = FAMILIES.find((x) => x.id === id);
  if (!f) throw new Error(`unknown secret family ${id}`);
  return f;
}

const BY_NAME = "/repos/{owner}/{repo}";
const BY_ID = "/repositories/{repository_id}";

/**
 * GitHub also serves every repository path by id, `/repositories/{repository_id}/…`, although
 * its OpenAPI description lists only `/repos/{owner}/{repo}/…`: redirects for renamed and
 * transferred repositories point there, and old Enterprise Servers serve environment secrets
 * only there. undefined for a template that is not repository-scoped.
 */
export function byIdTemplate(template: string): string | undefined {
  if (template === BY_NAME) return BY_ID;
  return template.startsWith(BY_NAME + "/")
    ? BY_ID + template.slice(BY_NAME.length)
    : undefined;
}
