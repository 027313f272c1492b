// The pure diff: what changed between a resource's state and its checked inputs, without a
// request to GitHub (an unchanged stack costs none). Shared by the secret and selection
// lifecycles, which compare names and repository lists the same way.

import { valueDigestInput, type SecretKind } from "./kinds";
import { digest } from "./seal";
import {
  isUnknown,
  type DiffResult,
  type SecretInputs,
  type SecretState,
} from "./types";

/**
 * Pure and local: no request to GitHub. Renaming the secret, moving it to another scope, or to
 * an account on another API host replaces the resource (create the new secret, then delete the
 * old one: safe, since the two identities differ); a new value, visibility or selection is
 * written in place; another account on the same host is the same secret (recorded, not written).
 * `apiHost` is the host the new inputs' account reaches, undefined while it is not known.
 */
export function diffSecret(
  kind: SecretKind,
  olds: SecretState,
  news: Record<string, unknown>,
  apiHost?: string,
): DiffResult {
  const { replaces, updates } = changesOf(kind, olds, news, apiHost);
  return {
    changes: replaces.length > 0 || updates.length > 0,
    replaces,
    updates,
    deleteBeforeReplace: false,
  };
}

/** The properties whose change replaces the resource, and those written in place. */
export function changesOf(
  kind: SecretKind,
  olds: SecretState,
  news: Record<string, unknown>,
  apiHost?: string,
): { replaces: string[]; updates: string[] } {
  const replaces: string[] = [];
  const updates: string[] = [];
  const oldProps = olds as unknown as Record<string, unknown>;
  if (otherHost(olds.apiHost, apiHost)) replaces.push("account");
  for (const arg of [...kind.scope.map((key) => key.arg), "secretName"]) {
    if (!sameName(oldProps[arg], news[arg])) replaces.push(arg);
  }
  const value = changedValue(olds, news);
  if (value) updates.push(value);
  if (
    kind.visibility &&
    news.visibility !== undefined &&
    news.visibility !== olds.visibility
  )
    updates.push("visibility");
  // No selection given: the list is left alone (it may be managed by a …Repositories resource).
  if (
    kind.selectedRepositories &&
    news.selectedRepositoryIds !== undefined &&
    !sameIdSet(olds.selectedRepositoryIds, news.selectedRepositoryIds)
  ) {
    updates.push("selectedRepositoryIds");
  }
  if (olds.drift && news.onDrift !== "ignore" && !value)
    updates.push(news.valueFrom !== undefined ? "valueFrom" : "value");
  if (
    !replaces.includes("account") &&
    accountChanged(olds.account, news.account)
  )
    updates.push("account");
  return { replaces, updates };
}

/** Another API host: state written before accounts existed has none, and counts as the same. */
export function otherHost(
  old: string | undefined,
  next: string | undefined,
): boolean {
  return (
    old !== undefined &&
    next !== undefined &&
    old.toLowerCase() !== next.toLowerCase()
  );
}

/** Account names are config keys: compared as given. */
export function accountChanged(old: unknown, next: unknown): boolean {
  if (isUnknown(next)) return true;
  return (old ?? undefined) !== (next ?? undefined);
}

/** GitHub compares account, repository, environment and secret names without regard to case. */
export function sameName(old: unknown, next: unknown): boolean {
  if (isUnknown(next)) return false;
  if (typeof old === "string" && typeof next === "string")
    return old.toUpperCase() === next.toUpperCase();
  return old === next;
}

export function sameIdSet(old: unknown, next: unknown): boolean {
  if (isUnknown(next)) return false;
  const a = [...new Set(Array.isArray(old) ? old.map(Number) : [])].sort(
    (x, y) => x - y,
  );
  const b = [...new Set(Array.isArray(next) ? next.map(Number) : [])].sort(
    (x, y) => x - y,
  );
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * The property a new value shows under, if the value changed: `value` for a value or
 * encryptedValue (their HMAC), `valueFrom` for a source read with a new value (its slow digest,
 * which check made), `valueVersion` for a new version. A change of kind (value to valueFrom, a
 * version added or dropped) finds no record of the same kind, and writes once.
 */
function changedValue(
  olds: SecretState,
  news: Record<string, unknown>,
): "value" | "valueFrom" | "valueVersion" | undefined {
  if (news.valueFrom !== undefined) {
    if (news.valueVersion !== undefined)
      return isUnknown(news.valueVersion) ||
        news.valueVersion !== olds.valueVersion
        ? "valueVersion"
        : undefined;
    const record = news[valueDigestInput];
    return typeof record !== "string" || record !== olds.valueDigest
      ? "valueFrom"
      : undefined;
  }
  if (
    isUnknown(news.value) ||
    isUnknown(news.encryptedValue) ||
    isUnknown(news.keyId)
  )
    return "value";
  if (!olds.digestSalt || !olds.valueDigest) return "value";
  return digest(
    olds.digestSalt,
    valueMaterial(news as unknown as SecretInputs),
  ) !== olds.valueDigest
    ? "value"
    : undefined;
}

/** What the digest covers: the plaintext, or the user's sealed value and the key it was sealed for. */
export function valueMaterial(inputs: SecretInputs): string {
  return inputs.encryptedValue !== undefined
    ? `sealed\u0000${inputs.keyId}\u0000${inputs.encryptedValue}`
    : `plain\u0000${inputs.value ?? ""}`;
}
