// Which resource of the running program declares which secret, and what this run has written.
// One provider process serves one deployment (the engine starts a fresh one for the preview and
// another for the update), so it sees every Check, Create, Update and Delete of the run.
// - Two resources aimed at one secret (same scope and name, in any case) would overwrite each
//   other on every up: check refuses the second.
// - The engine deletes a replaced resource after its replacement was created (create-before-
//   delete), and a resource that left the program after everything else ran. When the old and
//   the new resource name the same secret (`pulumi up --replace`, a resource moved under a
//   component without an alias, a rename that ends on the same secret), that delete would remove
//   the secret the live resource has just written. So a delete of anything a create or update
//   of this run wrote is skipped, whoever wrote it. `pulumi destroy` writes nothing, so it
//   deletes as before.

export class Claims {
  /** identity → the resource that declared it. */
  private readonly claimants = new Map<string, string>();
  /** Identities written by a create or an update of this run. */
  private readonly written = new Set<string>();

  /**
   * Records that `claimant` declares the secret `identity`; returns the other resource already
   * declaring it, if any.
   */
  claim(identity: string, claimant: string): string | undefined {
    const key = identity.toLowerCase();
    const holder = this.claimants.get(key);
    if (holder !== undefined && holder !== claimant) return holder;
    this.claimants.set(key, claimant);
    return undefined;
  }

  /** A create or update of this run wrote `identity` (a secret, a selection, one member). */
  markWritten(...identities: string[]): void {
    for (const identity of identities) this.written.add(identity.toLowerCase());
  }

  /** Whether a create or update of this run wrote `identity`: then it must not be deleted. */
  wrote(identity: string): boolean {
    return this.written.has(identity.toLowerCase());
  }

  /** Repositories this run put into the secret's selection (by list or one at a time). */
  writtenMembers(secretIdentity: string): number[] {
    const prefix = `${selectionIdentity(secretIdentity).toLowerCase()}/`;
    return [...this.written]
      .filter((identity) => identity.startsWith(prefix))
      .map((identity) => Number(identity.slice(prefix.length)))
      .sort((x, y) => x - y);
  }
}

/** The identity of a secret's repository selection (the whole list). */
export function selectionIdentity(secretIdentity: string): string {
  return `${secretIdentity}/repositories`;
}

/** The identity of one repository in a secret's selection. */
export function memberIdentity(
  secretIdentity: string,
  repositoryId: number,
): string {
  return `${selectionIdentity(secretIdentity)}/${repositoryId}`;
}

/** What writing a whole selection holds: the list and each repository in it. */
export function selectionIdentities(
  secretIdentity: string,
  repositoryIds: readonly number[],
): string[] {
  return [
    selectionIdentity(secretIdentity),
    ...repositoryIds.map((id) => memberIdentity(secretIdentity, id)),
  ];
}
