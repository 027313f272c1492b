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

/**
 * Pulumi's marker of a secret inside a property value: `{ [secretSig]: secretSigValue, value }`.
 * A provider may return it from check, create or update: the engine keeps such a value secret,
 * whatever the provider answered to Configure (provider_plugin.go unmarshals every answer with
 * KeepSecrets), and sends it back plain to a provider that does not accept secrets.
 */
export const secretSig = "4dabf18193072939515e22adb298388d";
export const secretSigValue = "1b47061264138c4ac30d75fd1eb44270";

/** `value` as a Pulumi secret, for an answer to the engine. */
export function asSecret(value: unknown): Record<string, unknown> {
  return { [secretSig]: secretSigValue, value };
}

/** GitHub's limit is 48 KB per secret; counted on the UTF-8 bytes of the plaintext. */
export const maxValueBytes = 48 * 1024;

export const visibilities = ["all", "private", "selected"] as const;
export type Visibility = (typeof visibilities)[number];

/**
 * Where the provider reads a secret's value when it writes it (`valueFrom`): an environment
 * variable of the Pulumi process, a file (or one key of a dotenv file), or the standard output of
 * a command, relative paths and commands in the folder Pulumi runs the program in.
 */
export type ValueSource =
  | { env: string }
  | { file: string; key?: string }
  | { command: string[]; timeoutSeconds?: number };

/**
 * `valueFrom` as check leaves it in the inputs: the source, and without `valueVersion` the
 * number of distinct values read from it so far, which `preview --diff` shows changing.
 */
export type CheckedValueSource = ValueSource & { revision?: number };

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
  valueFrom?: CheckedValueSource;
  /** With valueFrom: write when this changes; nothing derived from the value is kept. */
  valueVersion?: string;
  /** valueFrom without valueVersion: the slow digest of the value check read (seal.ts). */
  __valueDigest?: string;
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
  /**
   * What diff tells a new value by, a secret output: HMAC of `value` (or of `encryptedValue`)
   * keyed with digestSalt; or, for valueFrom, the salted slow digest of what the source held
   * (salt included); none with valueVersion.
   */
  valueDigest?: string;
  digestSalt?: string;
  /** valueVersion of the last write (valueFrom with valueVersion). */
  valueVersion?: string;
  /** Why the next up must write the value again, set by refresh. */
  drift?: string;
}
