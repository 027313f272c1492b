// A secret's scope (the repository, environment, organization or user it belongs to) and the
// identity derived from it: GitHub routes, the resource id, the words used in messages.

import type { SecretKind } from "./kinds";

export interface Scope {
  readonly kind: SecretKind;
  /** The scope as resource arguments, e.g. { owner: "acme", repository: "api" }. */
  readonly args: Readonly<Record<string, string>>;
  /** Path parameters of the collection route, e.g. { owner: "acme", repo: "api" }. */
  readonly params: Readonly<Record<string, string>>;
  /** The collection's concrete path, URL-encoded once: the cache key for the scope's key and listing. */
  readonly path: string;
  /** "repository acme/api", "environment dev of repository acme/api", "organization acme". */
  readonly label: string;
}

/** The scope a resource's inputs or outputs name (any object holding the kind's scope args). */
export function scopeOf(kind: SecretKind, props: object): Scope {
  const args: Record<string, string> = {};
  const params: Record<string, string> = {};
  for (const key of kind.scope) {
    const value = (props as Record<string, unknown>)[key.arg];
    if (typeof value !== "string" || value === "") {
      throw new Error(
        `${kind.name}: ${key.arg} is missing from the resource's properties`,
      );
    }
    args[key.arg] = value;
    params[key.param] = value;
  }
  const path = kind.collection.replace(/\{(\w+)\}/g, (_, param: string) =>
    encodeURIComponent(params[param] ?? ""),
  );
  return { kind, args, params, path, label: labelOf(args) };
}

/**
 * Words for the scope, from the scope arguments only: a selection resource's `repository` is
 * the repository it adds, not where the secret lives.
 */
function labelOf(args: Record<string, string>): string {
  const { owner, org, repository, environment } = args;
  if (environment !== undefined)
    return `environment "${environment}" of repository ${owner}/${repository}`;
  if (repository !== undefined) return `repository ${owner}/${repository}`;
  if (org !== undefined) return `organization ${org}`;
  return "the authenticated user";
}

/** The resource id: the secret's API path without the leading slash, e.g. repos/acme/api/actions/secrets/TOKEN. */
export function secretId(scope: Scope, secretName: string): string {
  return `${scope.path.replace(/^\//, "")}/${secretName.toUpperCase()}`;
}

/**
 * What makes two resources aim at the same secret: the API host (two accounts on one host reach
 * the same secret), the kind and scope, the name; compared without regard to case (claims.ts).
 */
export function secretIdentity(
  apiHost: string,
  scope: Scope,
  secretName: string,
): string {
  return `${apiHost}/${secretId(scope, secretName)}`;
}

/** "RepoSecret TOKEN in repository acme/api": how every message names the secret. */
export function describeSecret(scope: Scope, secretName: string): string {
  return `${scope.kind.name} ${secretName.toUpperCase()} in ${scope.label}`;
}
