// Resolves "where a secret lives" (a repository, an environment, an org, a user) from URL
// parameters or from a test's selector, to one store key. The legacy environment path
// (/repositories/{id}/environments/…) resolves to the same key as the modern one.
import type { Family, ScopeKind } from "./families";
import type { Owner, Repository, World } from "./world";

export interface ResolvedScope {
  kind: ScopeKind;
  /** Store key; stable for the lifetime of the emulator. */
  key: string;
  owner: Owner;
  repo?: Repository;
  environment?: string;
}

/**
 * In-process selector: "acme" (org or user), "acme/api" (repository), "acme/api/prod env/x"
 * (environment: everything after the repository, so names containing "/" work), or an object.
 */
export type ScopeSelector =
  | string
  | { org: string }
  | { user: string }
  | { owner: string; repo: string; environment?: string };

/** URL parameters as the router decoded them, plus the authenticated user for /user paths. */
export interface ScopeParams {
  owner?: string;
  repo?: string;
  org?: string;
  repository_id?: string;
  environment_name?: string;
  user?: string;
}

export function resolveScope(
  world: World,
  kind: ScopeKind,
  p: ScopeParams,
): ResolvedScope | undefined {
  if (kind === "org") {
    const owner = p.org === undefined ? undefined : world.org(p.org);
    return owner && { kind, key: `org:${owner.id}`, owner };
  }
  if (kind === "user") {
    const owner = p.user === undefined ? undefined : world.owner(p.user);
    return owner && { kind, key: `user:${owner.id}`, owner };
  }
  const repo =
    p.repository_id !== undefined
      ? /^\d+$/.test(p.repository_id)
        ? world.repositoryById(Number(p.repository_id))
        : undefined
      : p.owner !== undefined && p.repo !== undefined
        ? world.repository(p.owner, p.repo)
        : undefined;
  if (!repo) return undefined;
  if (kind === "repo")
    return { kind, key: `repo:${repo.id}`, owner: repo.owner, repo };
  const environment =
    p.environment_name === undefined
      ? undefined
      : world.environment(repo, p.environment_name);
  if (environment === undefined) return undefined;
  return {
    kind,
    key: `env:${repo.id}:${environment.toLowerCase()}`,
    owner: repo.owner,
    repo,
    environment,
  };
}

export function selectorToParams(
  family: Family,
  selector: ScopeSelector,
): ScopeParams {
  if (typeof selector !== "string") {
    if ("org" in selector)
      return family.scope === "user"
        ? { user: selector.org }
        : { org: selector.org };
    if ("user" in selector)
      return family.scope === "user"
        ? { user: selector.user }
        : { org: selector.user };
    return {
      owner: selector.owner,
      repo: selector.repo,
      environment_name: selector.environment,
    };
  }
  if (family.scope === "org") return { org: selector };
  if (family.scope === "user") return { user: selector };
  const [owner, repo, ...rest] = selector.split("/");
  return {
    owner,
    repo,
    environment_name: rest.length > 0 ? rest.join("/") : undefined,
  };
}
