// Repository names where GitHub wants ids. Users write `selectedRepositories: ["api", "web"]`;
// check turns the names into ids, so diff, create and update only ever see ids and stay local.
// Each name is looked up once (GET /repos/{owner}/{repo}) and its id kept in the checked inputs
// (`repositoryIdsInput`), so later checks of the same name on the same host send no request: an
// unchanged stack costs none, its preview included. A new name, owner or host is looked up again.

import type { SecretsApi } from "./api";
import { configText } from "./config";
import { GitHubError } from "./github";
import { repositoryIdsInput } from "./kinds";
import { isUnknown, unknownValue, type CheckFailure } from "./types";

/** "host owner/name", lower-cased as GitHub compares names. */
const lookupKey = (apiHost: string, owner: string, name: string) =>
  `${apiHost} ${owner}/${name}`.toLowerCase();

/**
 * Resolves `inputs[namesProperty]` into ids and merges them into `inputs[idsProperty]`.
 * Bare names belong to `defaultOwner` (the secret's organization, else `github:owner`);
 * "owner/name" names any account. Returns the failures; on failure the inputs are left as
 * they were. A name not known yet (preview) makes the ids unknown too, so diff shows a change.
 * `olds` are the previous checked inputs: their resolved ids are reused for the same names on
 * the same `apiHost`.
 */
export async function resolveRepositoryNames(
  olds: Record<string, unknown>,
  inputs: Record<string, unknown>,
  namesProperty: string,
  idsProperty: string,
  defaultOwner: unknown,
  apiHost: string,
  api: () => SecretsApi,
): Promise<CheckFailure[]> {
  const names = inputs[namesProperty];
  if (!Array.isArray(names)) return [];
  if (isUnknown(names) || isUnknown(defaultOwner)) {
    inputs[idsProperty] = unknownValue;
    return [];
  }
  const references: [string, string][] = [];
  for (const name of names as string[]) {
    const slash = name.indexOf("/");
    if (slash >= 0) {
      references.push([name.slice(0, slash), name.slice(slash + 1)]);
    } else if (typeof defaultOwner === "string" && defaultOwner !== "") {
      references.push([defaultOwner, name]);
    } else {
      return [
        {
          property: namesProperty,
          reason: `repository "${name}" needs an owner: write "owner/${name}" or set ${configText("github:owner")}`,
        },
      ];
    }
  }
  const known = (olds[repositoryIdsInput] ?? {}) as Record<string, unknown>;
  const lookups: Record<string, number> = {};
  const resolved: number[] = [];
  for (const [owner, name] of references) {
    const key = lookupKey(apiHost, owner, name);
    const previous = known[key];
    try {
      const id =
        typeof previous === "number"
          ? previous
          : await api().repositoryId(owner, name);
      lookups[key] = id;
      resolved.push(id);
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      return [
        {
          property: namesProperty,
          reason:
            error.status === 404
              ? `no repository ${owner}/${name} (or the token cannot see it): check the name in ${namesProperty}`
              : error.message,
        },
      ];
    }
  }
  inputs[repositoryIdsInput] = lookups;
  const given = inputs[idsProperty];
  if (isUnknown(given)) return [];
  const ids = new Set<number>([
    ...(Array.isArray(given) ? (given as number[]) : []),
    ...resolved,
  ]);
  inputs[idsProperty] = [...ids].sort((a, b) => a - b);
  return [];
}
