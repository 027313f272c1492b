// check(): every rule GitHub would enforce, applied before any request, so a bad program fails in
// preview with the property and the rule named. Messages never contain a secret's value.

import { configText, lookup, type ConfigSource } from "./config";
import type { ScopeKey, SecretKind } from "./kinds";
import { checkValueSource } from "./sources";
import {
  isUnknown,
  maxValueBytes,
  unknownValue,
  visibilities,
  type CheckFailure,
  type Visibility,
} from "./types";

export { maxValueBytes };
const secretNamePattern = /^[A-Za-z0-9_]+$/;
const accountPattern = /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$/;
const repositoryPattern = /^[A-Za-z0-9._-]+$/;
const repositoryReference =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?\/)?[A-Za-z0-9._-]{1,100}$/;
// The pattern GitHub's OpenAPI description gives for encrypted_value.
const base64Pattern =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
// A sealed box is the 32-byte ephemeral public key plus the 16-byte MAC plus the message.
const sealedBoxOverhead = 48;

const commonArgs = [
  "secretName",
  "value",
  "encryptedValue",
  "keyId",
  "valueFrom",
  "valueVersion",
  "onDrift",
  "account",
];

/** A named account (stack config `github-secrets:accounts`) and the owner it defaults to. */
export interface NamedAccount {
  readonly name: string;
  readonly owner?: string;
  /** Its settings failed check (unknown, malformed): a missing owner is not reported again. */
  readonly unusable?: boolean;
}

/** The arguments a kind accepts. */
export function argumentsOf(kind: SecretKind): string[] {
  return [
    ...kind.scope.map((key) => key.arg),
    ...commonArgs,
    ...(kind.visibility ? ["visibility"] : []),
    ...(kind.selectedRepositories
      ? ["selectedRepositoryIds", "selectedRepositories"]
      : []),
  ];
}

/**
 * Validates and normalizes a resource's inputs: fills scope defaults from the stack config or
 * environment, defaults an organization secret's visibility, and turns repository ids into a
 * sorted list of numbers (GitHub treats the selection as a set).
 */
export function checkInputs(
  kind: SecretKind,
  news: Record<string, unknown>,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
  /** A named account: its owner, not github:owner, fills a missing owner or org. */
  account?: NamedAccount,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) =>
    failures.push({ property, reason });
  const known = (property: string) =>
    inputs[property] !== undefined && !isUnknown(inputs[property]);

  const allowed = new Set(argumentsOf(kind));
  for (const property of Object.keys(inputs)) {
    if (property.startsWith("__") || allowed.has(property)) continue;
    // Outputs that an SDK class seeds as undefined arrive absent; anything else is a typo.
    if (inputs[property] === undefined || outputOnly.has(property)) {
      delete inputs[property];
      continue;
    }
    fail(
      property,
      `${kind.name} has no argument "${property}"; it takes ${[...allowed].join(", ")}`,
    );
  }

  checkAccount(inputs, fail);
  for (const key of kind.scope)
    checkScopeKey(key, inputs, config, env, fail, account);

  checkSecretName(inputs, fail);

  // value / encryptedValue / keyId / valueFrom / valueVersion
  const given = ["value", "encryptedValue", "valueFrom"].filter(
    (property) => inputs[property] !== undefined && inputs[property] !== null,
  );
  const hasValue = given.includes("value");
  const hasEncrypted = given.includes("encryptedValue");
  const hasSource = given.includes("valueFrom");
  if (given.length > 1) {
    // Named on valueFrom when it is one of them: the engine prints the failing property's value,
    // and valueFrom's is only a description.
    fail(
      hasSource ? "valueFrom" : "value",
      `give exactly one of value, encryptedValue and valueFrom, not ${given.join(" and ")}`,
    );
  } else if (given.length === 0) {
    fail(
      "value",
      "give exactly one of value (plaintext, sealed by the provider), encryptedValue (already sealed) and valueFrom (read by the provider from an environment variable, a file or a command)",
    );
  }
  if (hasSource && known("valueFrom")) {
    const source = checkValueSource(inputs.valueFrom, fail);
    if (source) inputs.valueFrom = source;
  }
  if (inputs.valueVersion === null || inputs.valueVersion === "")
    delete inputs.valueVersion;
  if (inputs.valueVersion !== undefined) {
    if (!hasSource)
      fail(
        "valueVersion",
        "valueVersion goes only with valueFrom: it tells when to read the source and write again",
      );
    else if (known("valueVersion") && typeof inputs.valueVersion !== "string")
      fail("valueVersion", "valueVersion must be a string");
  }
  if (hasValue && known("value")) {
    const value = inputs.value;
    if (typeof value !== "string") fail("value", "value must be a string");
    else if (value === "")
      fail("value", "value must not be empty (GitHub stores no empty secrets)");
    else if (Buffer.byteLength(value, "utf8") > maxValueBytes)
      fail(
        "value",
        `value must be at most 48 KB (${maxValueBytes} bytes of UTF-8); it has ${Buffer.byteLength(value, "utf8")}`,
      );
  }
  if ((hasValue || hasSource) && inputs.keyId !== undefined)
    fail(
      "keyId",
      "keyId goes only with encryptedValue; a plaintext value is sealed for the current key",
    );
  if (hasEncrypted) {
    if (known("encryptedValue")) {
      const sealed = inputs.encryptedValue;
      if (typeof sealed !== "string" || !base64Pattern.test(sealed))
        fail(
          "encryptedValue",
          "encryptedValue must be standard base64 (a libsodium sealed box, base64-encoded)",
        );
      else if (Buffer.from(sealed, "base64").length <= sealedBoxOverhead)
        fail(
          "encryptedValue",
          `encryptedValue is too short to be a sealed box (it needs more than ${sealedBoxOverhead} bytes)`,
        );
      else if (
        Buffer.from(sealed, "base64").length >
        maxValueBytes + sealedBoxOverhead
      )
        fail(
          "encryptedValue",
          "encryptedValue seals more than 48 KB, GitHub's limit for a secret",
        );
    }
    if (
      inputs.keyId === undefined ||
      inputs.keyId === null ||
      inputs.keyId === ""
    )
      fail(
        "keyId",
        "encryptedValue needs keyId: the key_id of the public key the value was sealed for",
      );
    else if (known("keyId") && typeof inputs.keyId !== "string")
      fail("keyId", "keyId must be a string");
  }

  if (
    inputs.onDrift !== undefined &&
    known("onDrift") &&
    inputs.onDrift !== "overwrite" &&
    inputs.onDrift !== "ignore"
  )
    fail("onDrift", 'onDrift must be "overwrite" (the default) or "ignore"');

  checkSelection(kind, inputs, fail);
  return { inputs, failures };
}

/** `account`: a name of stack config `github-secrets:accounts`, or absent for the default one. */
export function checkAccount(
  inputs: Record<string, unknown>,
  fail: (property: string, reason: string) => void,
): void {
  const account = inputs.account;
  if (account === null || account === "") delete inputs.account;
  else if (
    account !== undefined &&
    !isUnknown(account) &&
    typeof account !== "string"
  )
    fail("account", "account must be the name of an account (a string)");
}

/** GitHub's rules for a secret's name. */
export function checkSecretName(
  inputs: Record<string, unknown>,
  fail: (property: string, reason: string) => void,
): void {
  const name = inputs.secretName;
  if (name === undefined || name === null || name === "") {
    fail("secretName", "secretName is required");
  } else if (!isUnknown(name)) {
    if (typeof name !== "string")
      fail("secretName", "secretName must be a string");
    else if (!secretNamePattern.test(name))
      // Not echoed: a name with spaces or symbols may well be a value pasted in the wrong place.
      fail(
        "secretName",
        "secretName may contain only letters, digits and underscores ([A-Za-z0-9_])",
      );
    else if (/^[0-9]/.test(name))
      fail("secretName", `secretName "${name}" must not start with a digit`);
    else if (/^GITHUB_/i.test(name))
      fail(
        "secretName",
        `secretName "${name}" must not start with GITHUB_ (the prefix is reserved by GitHub)`,
      );
  }
}

export function checkScopeKey(
  key: ScopeKey,
  inputs: Record<string, unknown>,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
  fail: (property: string, reason: string) => void,
  account?: NamedAccount,
): void {
  let value = inputs[key.arg];
  if ((value === undefined || value === null || value === "") && key.fallback) {
    value = account ? account.owner : lookup(key.fallback, config, env);
    if (value !== undefined) inputs[key.arg] = value;
  }
  if (value === undefined || value === null || value === "") {
    if (key.fallback && account?.unusable) return;
    const where = !key.fallback
      ? `set the ${key.arg} argument`
      : account
        ? `set the ${key.arg} argument or the owner of account "${account.name}" in ${configText("github-secrets:accounts")}`
        : `set the ${key.arg} argument, ${configText(key.fallback.configKey)} or the ${key.fallback.envVar} environment variable`;
    fail(key.arg, `${key.arg} (the ${key.label}) is required: ${where}`);
    return;
  }
  if (isUnknown(value)) return;
  if (typeof value !== "string") {
    fail(key.arg, `${key.arg} must be a string`);
    return;
  }
  switch (key.arg) {
    case "repository":
      if (value.includes("/"))
        fail(
          key.arg,
          `repository "${printable(value)}" must be a bare repository name; give the account as owner`,
        );
      else if (!repositoryPattern.test(value) || value.length > 100)
        fail(
          key.arg,
          `repository "${printable(value)}" is not a GitHub repository name (letters, digits, ".", "-", "_"; at most 100)`,
        );
      break;
    case "environment":
      if (value.length > 255)
        fail(key.arg, "environment must be at most 255 characters");
      break;
    default:
      if (!accountPattern.test(value) || value.length > 100)
        fail(
          key.arg,
          `${key.arg} "${printable(value)}" is not a GitHub account name (letters, digits, "-" and "_")`,
        );
  }
}

function checkSelection(
  kind: SecretKind,
  inputs: Record<string, unknown>,
  fail: (property: string, reason: string) => void,
): void {
  if (kind.visibility) {
    const visibility = inputs.visibility;
    if (visibility === undefined || visibility === null) {
      // Least exposure by default; a listed selection implies "selected".
      inputs.visibility =
        inputs.selectedRepositoryIds !== undefined ||
        inputs.selectedRepositories !== undefined
          ? "selected"
          : "private";
    } else if (
      !isUnknown(visibility) &&
      !visibilities.includes(visibility as Visibility)
    ) {
      fail(
        "visibility",
        `visibility must be one of ${visibilities.map((v) => `"${v}"`).join(", ")}`,
      );
    }
  }
  if (!kind.selectedRepositories) return;
  for (const property of ["selectedRepositoryIds", "selectedRepositories"]) {
    if (inputs[property] === null) delete inputs[property];
    if (
      inputs[property] !== undefined &&
      kind.visibility &&
      !isUnknown(inputs.visibility) &&
      inputs.visibility !== "selected"
    ) {
      fail(
        property,
        `${property} goes only with visibility "selected" (visibility is "${String(inputs.visibility)}")`,
      );
      return;
    }
  }
  checkRepositoryNames("selectedRepositories", inputs, fail);
  checkRepositoryIds("selectedRepositoryIds", inputs, fail);
}

/** A list of repository names ("api" or "owner/api"); check resolves them to ids later. */
export function checkRepositoryNames(
  property: string,
  inputs: Record<string, unknown>,
  fail: (property: string, reason: string) => void,
): void {
  const names = inputs[property];
  if (names === undefined || isUnknown(names)) return;
  if (
    !Array.isArray(names) ||
    names.some(
      (name) => typeof name !== "string" || !repositoryReference.test(name),
    )
  ) {
    fail(
      property,
      `${property} must be a list of repository names ("api" or "owner/api")`,
    );
  }
}

/** A list of positive repository ids, normalized to a sorted set of numbers. */
export function checkRepositoryIds(
  property: string,
  inputs: Record<string, unknown>,
  fail: (property: string, reason: string) => void,
): void {
  const ids = inputs[property];
  if (ids === undefined || ids === unknownValue) return;
  if (!Array.isArray(ids)) {
    fail(property, `${property} must be a list of repository ids`);
    return;
  }
  if (isUnknown(ids)) return;
  const normalized = new Set<number>();
  for (const id of ids) {
    const number =
      typeof id === "string" && /^[0-9]+$/.test(id) ? Number(id) : id;
    if (
      typeof number !== "number" ||
      !Number.isSafeInteger(number) ||
      number <= 0
    ) {
      fail(
        property,
        `${property} must hold positive whole numbers (repository ids, e.g. repository.repoId)`,
      );
      return;
    }
    normalized.add(number);
  }
  inputs[property] = [...normalized].sort((a, b) => a - b);
}

/** Names are not secret, but a pasted value could land in one: show only a safe prefix. */
export function printable(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Outputs an SDK class seeds (so they exist as Output properties), never inputs. */
const outputOnly = new Set([
  "apiHost",
  "createdAt",
  "updatedAt",
  "valueDigest",
  "digestSalt",
  "drift",
]);
