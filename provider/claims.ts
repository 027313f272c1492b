// Which resource of the running program owns which secret. Two resources aimed at one secret
// (same scope and name, in any case) would overwrite each other on every up, and a renamed
// resource (created under its new name, then deleted under its old one) would delete the secret
// it just wrote. One provider process serves one run, so it sees both.

/**
 * The hidden input naming the resource that declares a secret (its logical name), set by the
 * SDK classes. Two resources of the same name under different parents count as one.
 */
export const claimantInput = "__claimant";

export class Claims {
  /** identity → the resource that declared it. */
  private readonly claimants = new Map<string, string>();
  /** Identities written by a create or an update of this run, and by which resource. */
  private readonly written = new Map<string, string>();

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

  markWritten(identity: string, claimant: string | undefined): void {
    this.written.set(identity.toLowerCase(), claimant ?? "");
  }

  /**
   * Whether another resource of this run wrote the secret (a renamed resource: created under
   * its new name before the old one is deleted). Deleting it then would lose a live secret.
   */
  writtenByAnother(identity: string, claimant: string | undefined): boolean {
    const writer = this.written.get(identity.toLowerCase());
    return writer !== undefined && writer !== (claimant ?? "");
  }
}
