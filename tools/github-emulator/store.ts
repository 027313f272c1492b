// Secrets per family and scope, with the scope's current key pair. Values are kept in plaintext
// because the emulator exists to let tests inspect what a client really sealed.
import { newKeyPair, type KeyPair } from "./crypto";
import type { FamilyId } from "./families";

export type Visibility = "all" | "private" | "selected";

export interface StoredSecret {
  /** Upper-cased, as GitHub stores it. */
  name: string;
  value: string;
  /** The key the value was sealed for (a rotation does not re-seal stored values). */
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
  visibility?: Visibility;
  selectedRepositoryIds: number[];
}

export interface ScopeState {
  keyPair: KeyPair;
  /** Keyed by upper-cased name, so lookups are case-insensitive. */
  secrets: Map<string, StoredSecret>;
}

export class SecretStore {
  private readonly scopes = new Map<string, ScopeState>();

  /** Creates the scope (and its key pair) on first use, as GitHub does lazily for new repositories. */
  scope(family: FamilyId, scopeKey: string): ScopeState {
    const key = `${family}|${scopeKey}`;
    let state = this.scopes.get(key);
    if (!state) {
      state = { keyPair: newKeyPair(), secrets: new Map() };
      this.scopes.set(key, state);
    }
    return state;
  }

  /** Every secret of an org family, for the repository-side organization-secrets listing. */
  sortedSecrets(family: FamilyId, scopeKey: string): StoredSecret[] {
    return [...this.scope(family, scopeKey).secrets.values()].sort((a, b) =>
      a.name.localeCompare(b.name),
    );
  }
}

/** GitHub's rules for secret names; returns the reason when invalid. */
export function invalidSecretName(name: string): string | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(name) || /^[0-9]/.test(name)) {
    return "Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) or underscores (_).";
  }
  if (/^GITHUB_/i.test(name))
    return "Secret names must not start with GITHUB_.";
  return undefined;
}
