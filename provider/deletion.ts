// Deleting a secret without losing one a live resource holds. Every lifecycle that deletes a
// secret (a secret resource, a SecretSet's pruning) comes through here:
// - a secret a create or update of this run wrote is kept (claims.ts explains when the engine
//   deletes what a replacement has just written);
// - a DELETE GitHub redirects (the repository was renamed or transferred, and GitHub answers
//   the old name with 307 to /repositories/{id}/…) is repeated at the new location only when
//   this run wrote nothing there. A repository renamed beside its secrets in one program is the
//   common case: the secrets are replaced into the new name, then deleted by the old one, and a
//   DELETE that followed the redirect would remove what was just written.
// What stays undecidable: a redirect to a secret another *stack* or a person wrote since (this
// process cannot see them); it is deleted, as the resource being deleted asked.

import type { ProviderContext } from "./context";
import { describeSecret, secretIdentity, type Scope } from "./scope";

/** What happened, for the log line and for tests. */
export type DeletionOutcome = "deleted" | "absent" | "kept" | "kept-moved";

export async function deleteSecretUnlessHeld(
  context: ProviderContext,
  scope: Scope,
  secretName: string,
  account: string | undefined,
): Promise<DeletionOutcome> {
  const claims = context.claims();
  const apiHost = context.apiHost(account);
  const what = describeSecret(scope, secretName);
  if (claims.wrote(secretIdentity(apiHost, scope, secretName))) {
    context.log(
      `kept ${what}: a create or update of this run wrote it (a replacement or a moved resource holds it), so the delete of the old resource leaves it`,
    );
    return "kept";
  }
  const api = context.api(account);
  const result = await api.delete(scope, secretName);
  if (result.outcome !== "moved") return result.outcome;
  const { target, location } = result;
  if (claims.wrote(secretIdentity(apiHost, target, secretName))) {
    context.log(
      `kept ${describeSecret(target, secretName)}: ${scope.label} moved there (renamed or transferred) and this run wrote the secret there; the delete of ${what} was not repeated at the new location`,
    );
    return "kept-moved";
  }
  await api.deleteMoved(target, secretName, location);
  context.log(
    `deleted ${describeSecret(target, secretName)}: ${scope.label} moved there (renamed or transferred) and nothing of this run holds the secret`,
  );
  return "deleted";
}
