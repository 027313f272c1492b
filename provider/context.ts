// What every lifecycle needs from the provider process (implemented once, in index.ts): the
// stack config and environment, the settings read from them, each account's API client and
// caches, the run's claims, and a way to tell the user something. `account` is a name of stack
// config `github-secrets:accounts`; undefined means the default account (github:token…).
import type { SecretsApi } from "./api";
import type { Claims } from "./claims";
import type { ConfigSource } from "./config";
import type { Settings } from "./settings";
import { isUnknown, type CheckFailure, type ValueSource } from "./types";
import type { NamedAccount } from "./validate";

export interface ProviderContext {
  config(): ConfigSource | undefined;
  env(): NodeJS.ProcessEnv;
  /** An account's settings; throws SettingsError for a bad setting or an unknown account. */
  settings(account?: string): Settings;
  /** check()'s verdict on an account's settings: bad, unknown, or without credentials. */
  settingsFailures(account?: string): CheckFailure[];
  /** The account's client, scheduler and caches (public keys, listings, repository ids). */
  api(account?: string): SecretsApi;
  /** The account's API host (host:port), part of every secret's identity. */
  apiHost(account?: string): string;
  claims(): Claims;
  /**
   * What a `valueFrom` source holds now, read once per process (sources.ts); rejects with a
   * SourceError naming the source, never the value.
   */
  valueOf(source: ValueSource): Promise<string>;
  /** A line for the user: the engine shows what a provider prints (plugin.go `runtrace`). */
  log(message: string): void;
}

/** The account a resource's inputs or outputs name; undefined for the default one. */
export function accountOf(props: object): string | undefined {
  const account = (props as Record<string, unknown>).account;
  return typeof account === "string" && account !== "" ? account : undefined;
}

/**
 * The API host a resource's new inputs reach through their account, for diff; undefined while
 * the account is not known (preview), so no replacement is decided on a guess.
 */
export function newApiHost(
  context: ProviderContext,
  news: Record<string, unknown>,
): string | undefined {
  return isUnknown(news.account) ? undefined : context.apiHost(accountOf(news));
}

/**
 * check()'s view of a resource's account: the failures of its settings (unknown, malformed, no
 * credentials) and, for a named account, what fills a missing owner or org.
 */
export function checkedAccount(
  context: ProviderContext,
  account: string | undefined,
): { failures: CheckFailure[]; named?: NamedAccount } {
  const failures = context.settingsFailures(account);
  if (account === undefined) return { failures };
  if (failures.length > 0)
    return { failures, named: { name: account, unusable: true } };
  const { owner } = context.settings(account);
  return {
    failures,
    named: { name: account, ...(owner !== undefined ? { owner } : {}) },
  };
}

/**
 * Where a resource's state says it was written, when its account no longer reaches that host
 * (its base URL changed, or github:baseUrl did): the provider cannot read or delete there with
 * the account's current settings, and doing either on the new host would touch the wrong
 * secret (a replacement's, just written). Undefined when the hosts agree.
 */
export function unreachableHost(
  context: ProviderContext,
  props: { account?: string; apiHost?: string },
): string | undefined {
  const writtenTo = props.apiHost;
  if (writtenTo === undefined) return undefined;
  const now = context.apiHost(accountOf(props));
  return writtenTo.toLowerCase() === now ? undefined : writtenTo;
}
