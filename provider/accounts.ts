// Named accounts: one program managing the secrets of several GitHub accounts, each with its own
// credentials, API host and rate limits (a fine-grained token covers one owner, an App
// installation one organization, an Enterprise Server is another host). Stack config
// `github-secrets:accounts` maps a name to `{ token?, tokenEnv?, appAuth?, baseUrl?, owner? }`,
// set with `pulumi config set --secret --path 'github-secrets:accounts.acme.token' …`; the
// engine hands structured config to a dynamic provider as JSON text. A resource names its
// account with `account`; only that name is ever in inputs, outputs or state.

import type { ConfigSource } from "./config";
import {
  configName,
  configText,
  SettingsError,
  type SettingKey,
} from "./config";
import { appFromFields, type Credentials } from "./credentials";
import { normalizeBaseUrl, type Settings } from "./settings";
import { printable } from "./validate";

export const accountsKey: SettingKey = {
  configKey: "github-secrets:accounts",
  envVar: "",
};

export interface AccountSpec {
  token?: string;
  /** An environment variable of the provider process holding the token (CI secrets). */
  tokenEnv?: string;
  appAuth?: { id?: unknown; installationId?: unknown; pemFile?: unknown };
  baseUrl?: string;
  owner?: string;
}

const specKeys = new Set(["token", "tokenEnv", "appAuth", "baseUrl", "owner"]);
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The accounts the stack config declares, by name; a malformed value fails with the rule. */
export function readAccounts(
  config: ConfigSource | undefined,
): Map<string, AccountSpec> {
  const raw = config?.get(accountsKey.configKey)?.trim();
  const accounts = new Map<string, AccountSpec>();
  if (!raw) return accounts;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed))
    throw invalid(
      "must be an object: account name → { token, tokenEnv, appAuth, baseUrl, owner }",
    );
  for (const [name, spec] of Object.entries(parsed)) {
    if (!namePattern.test(name))
      throw invalid(
        `account names are letters, digits, ".", "-" and "_" (got "${printable(name)}")`,
      );
    if (!isObject(spec))
      throw invalid(
        `account "${name}" must be an object { token, tokenEnv, appAuth, baseUrl, owner }`,
      );
    for (const [key, value] of Object.entries(spec)) {
      if (!specKeys.has(key))
        throw invalid(
          `account "${name}" has no setting "${printable(key)}"; it takes token, tokenEnv, appAuth, baseUrl, owner`,
        );
      if (key !== "appAuth" && typeof value !== "string")
        throw invalid(`account "${name}": ${key} must be a string`);
    }
    accounts.set(name, spec as AccountSpec);
  }
  return accounts;
}

/**
 * A named account's settings: its own credentials, base URL (default: the default account's)
 * and owner (no default: a token scoped to one owner should not silently aim at another); the
 * pacing and retry settings are the stack's, applied to the account's own scheduler.
 */
export function accountSettings(
  name: string,
  accounts: Map<string, AccountSpec>,
  defaults: Settings,
  env: NodeJS.ProcessEnv,
): Settings {
  const spec = accounts.get(name);
  if (!spec) throw unknownAccount(name, accounts);
  const where = `account "${name}" of ${configText(accountsKey.configKey)}`;
  const baseUrl = spec.baseUrl
    ? normalizeBaseUrl(spec.baseUrl, `${where}: baseUrl`, accountsKey)
    : defaults.baseUrl;
  const credentials = accountCredentials(spec, env, where);
  return {
    maxRetries: defaults.maxRetries,
    retryDelayMs: defaults.retryDelayMs,
    requestTimeoutMs: defaults.requestTimeoutMs,
    maxConcurrency: defaults.maxConcurrency,
    pointsPerMinute: defaults.pointsPerMinute,
    secondaryLimitWaitSeconds: defaults.secondaryLimitWaitSeconds,
    timeScale: defaults.timeScale,
    baseUrl,
    ...(credentials ? { credentials } : {}),
    ...(spec.owner ? { owner: spec.owner } : {}),
  };
}

function accountCredentials(
  spec: AccountSpec,
  env: NodeJS.ProcessEnv,
  where: string,
): Credentials | undefined {
  if (spec.token?.trim())
    return { kind: "token", token: spec.token.trim(), source: where };
  if (spec.tokenEnv) {
    const token = env[spec.tokenEnv]?.trim();
    if (token) return { kind: "token", token, source: spec.tokenEnv };
  }
  if (spec.appAuth) {
    try {
      return appFromFields(spec.appAuth, `${where}: appAuth`);
    } catch (error) {
      throw error instanceof SettingsError
        ? new SettingsError(accountsKey, error.message)
        : error;
    }
  }
  return undefined;
}

/** check()'s message for an account without credentials. */
export function noAccountCredentials(name: string, spec?: AccountSpec): string {
  const unset = spec?.tokenEnv
    ? ` (its tokenEnv, ${spec.tokenEnv}, is not set in the environment)`
    : "";
  return (
    `no GitHub credentials for account "${name}"${unset}: set its token ` +
    `(pulumi config set --secret --path '${configName(accountsKey.configKey)}.${name}.token' …), ` +
    `its tokenEnv (an environment variable holding the token) or its appAuth ({id, installationId, pemFile})`
  );
}

export function unknownAccount(
  name: string,
  accounts: Map<string, AccountSpec>,
): SettingsError {
  const known = [...accounts.keys()].sort();
  return new SettingsError(
    { configKey: "account", envVar: "" },
    `account "${printable(name)}" is not in ${configText(accountsKey.configKey)} (${
      known.length ? `known: ${known.join(", ")}` : "it declares no account"
    })`,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function invalid(rule: string): SettingsError {
  return new SettingsError(
    accountsKey,
    `${configText(accountsKey.configKey)} ${rule}`,
  );
}
