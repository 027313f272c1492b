// Repository names where GitHub wants ids. Users write `selectedRepositories: ["api", "web"]`;
// check turns the names into ids (one GET /repos/{owner}/{repo} per name per provider process,
// cached by SecretsApi), so diff, create and update only ever see ids and stay local.

import type { SecretsApi } from "./api";
import { GitHubError } from "./github";
import { isUnknown, unknownValue, type CheckFailure } from "./types";

/**
 * Resolves `inputs[namesProperty]` into ids and merges them into `inputs[idsProperty]`.
 * Bare names belong to `defaultOwner` (the secret's organization, else `github:owner`);
 * "owner/name" names any account. Returns the failures; on failure the inputs are left as
 * they were. A name not known yet (preview) makes the ids unknown too, so diff shows a change.
 */
export async function resolveRepositoryNames(
  inputs: Record<string, unknown>,
  namesProperty: string,
  idsProperty: string,
  defaultOwner: unknown,
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
          reason: `repository "${name}" needs an owner: write "owner/${name}" or set stack config \`github:owner\``,
        },
      ];
    }
  }
  const resolved: number[] = [];
  for (const [owner, name] of references) {
    try {
      resolved.push(await api().repositoryId(owner, name));
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
  const given = inputs[idsProperty];
  if (isUnknown(given)) return [];
  const ids = new Set<number>([
    ...(Array.isArray(given) ? (given as number[]) : []),
    ...resolved,
  ]);
  inputs[idsProperty] = [...ids].sort((a, b) => a - b);
  return [];
}
