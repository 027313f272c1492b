// Shapes shared by the provider's modules (and, as types, by the SDK). No runtime dependencies:
// the SDK may load this without loading any of the provider's runtime.

/** Pulumi's marker for a value not known until apply (inputs during preview). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value, or any element of a list, is not known yet (preview). */
export function isUnknown(value: unknown): boolean {
  return (
    value === unknownValue || (Array.isArray(value) && value.some(isUnknown))
  );
}

export const visibilities = ["all", "private", "selected"] as const;
export type Visibility = (typeof visibilities)[number];

/** Inputs as the provider receives them: plain values, secrets already unwrapped by the engine. */
export interface SecretInputs {
  owner?: string;
  org?: string;
  repository?: string;
  environment?: string;
  secretName: string;
  value?: string;
  encryptedValue?: string;
  keyId?: string;
  visibility?: Visibility;
  selectedRepositoryIds?: number[];
  /** Repository names ("api" or "owner/api"), resolved to ids by check. */
  selectedRepositories?: string[];
  onDrift?: "overwrite" | "ignore";
  /** A name of stack config `github-secrets:accounts`; absent for the default account. */
  account?: string;
}

/**
 * A lifecycle's diff. The dynamic-provider host passes on `changes` and `replaces` only; the
 * provider plugin also reports `updates`, the properties written in place, so `preview --diff`,
 * replaceOnChanges and ignoreChanges see every changed property.
 */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  updates: string[];
  deleteBeforeReplace: false;
}

/** What check() reports: the property and the rule, never the value. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** What a secret resource's state holds after create, update or read (its outputs). */
export interface SecretState {
  /** The account that wrote it, by name (absent: the default account). */
  account?: string;
  /** The API host written to (host:port); absent in state written before accounts existed. */
  apiHost?: string;
  owner?: string;
  org?: string;
  repository?: string;
  environment?: string;
  /** As GitHub stores it: upper case. */
  secretName: string;
  /** key_id of the public key the value was sealed for. */
  keyId: string;
  createdAt: string;
  updatedAt: string;
  /** GitHub's clock at this provider's last write: a later updatedAt means someone else wrote. */
  writtenAt: string;
  visibility?: Visibility;
  selectedRepositoryIds?: number[];
  /** True when the user supplied encryptedValue: only they can seal it again. */
  userSealed: boolean;
  /** HMAC of the value keyed with digestSalt (a secret output). */
  valueDigest: string;
  digestSalt: string;
  /** Why the next up must write the value again, set by refresh. */
  drift?: string;
}
