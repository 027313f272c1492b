// The provider's settings, read from the stack config or the environment (config.ts) when a
// resource first needs them: credentials, API base, default owner, pacing and retries. Never
// captured in the serialized provider, so no token ever reaches the state.

import {
  describeSetting,
  lookup,
  settingKeys,
  SettingsError,
  type ConfigSource,
  type SettingKey,
} from "./config";
import {
  noCredentials,
  resolveCredentials,
  type Credentials,
} from "./credentials";
import type { TrafficSettings } from "./traffic";
import type { CheckFailure } from "./types";

export interface Settings extends TrafficSettings {
  readonly credentials?: Credentials;
  readonly baseUrl: string;
  readonly owner?: string;
}

export const defaultBaseUrl = "https://api.github.com";

/** Numeric settings: default and allowed range. GitHub's documented limits are the defaults. */
export const numberSettings = {
  maxRetries: { default: 3, min: 0, max: 20 },
  retryDelayMs: { default: 500, min: 1, max: 60_000 },
  requestTimeoutMs: { default: 30_000, min: 100, max: 600_000 },
  // GitHub: no more than 100 concurrent requests.
  maxConcurrency: { default: 100, min: 1, max: 100 },
  // GitHub: no more than 900 points per minute for REST, a write costing 5.
  pointsPerMinute: { default: 900, min: 5, max: 10_000_000 },
  // GitHub: without retry-after, "wait for at least one minute before retrying".
  secondaryLimitWaitSeconds: { default: 60, min: 1, max: 3600 },
} as const;

/**
 * GitHub's clock compressed, for the tests and the benchmark, whose emulator compresses it the
 * same way (an environment variable only: no user sets it). With 60, a minute lasts one second.
 */
export const timeScaleVariable = "PULUMI_GITHUB_SECRETS_TIME_SCALE";

export function timeScale(env: NodeJS.ProcessEnv): number {
  const raw = env[timeScaleVariable]?.trim();
  if (!raw) return 1;
  const value = Number(raw);
  if (!(value >= 1 && value <= 1_000_000))
    throw new Error(
      `${timeScaleVariable} must be a number from 1 to 1000000 (got "${raw}")`,
    );
  return value;
}

export function readSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): Settings {
  const baseUrl = normalizeBaseUrl(
    lookup(settingKeys.baseUrl, config, env) ?? defaultBaseUrl,
  );
  const number = (name: keyof typeof numberSettings): number => {
    const raw = lookup(settingKeys[name], config, env);
    const { default: fallback, min, max } = numberSettings[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new SettingsError(
        settingKeys[name],
        `${describeSetting(settingKeys[name])} must be a whole number from ${min} to ${max} (got "${raw}")`,
      );
    }
    return value;
  };
  const credentials = resolveCredentials(config, env, baseUrl);
  const owner = lookup(settingKeys.owner, config, env);
  return {
    baseUrl,
    maxRetries: number("maxRetries"),
    retryDelayMs: number("retryDelayMs"),
    requestTimeoutMs: number("requestTimeoutMs"),
    maxConcurrency: number("maxConcurrency"),
    pointsPerMinute: number("pointsPerMinute"),
    secondaryLimitWaitSeconds: number("secondaryLimitWaitSeconds"),
    timeScale: timeScale(env),
    ...(credentials ? { credentials } : {}),
    ...(owner ? { owner } : {}),
  };
}

/**
 * Accepts https://api.github.com and Enterprise Server bases such as https://HOST/api/v3,
 * with or without a trailing slash. The path is kept as given: the API base is what the user
 * names, so a local emulator or a proxy works as well as GitHub.
 */
export function normalizeBaseUrl(
  raw: string,
  /** How messages name the setting; a named account's says which account. */
  where = describeSetting(settingKeys.baseUrl),
  key: SettingKey = settingKeys.baseUrl,
): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(
      key,
      `${where} must be an absolute http(s) URL such as ${defaultBaseUrl} or https://HOST/api/v3 (got "${raw}")`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new SettingsError(
      key,
      `${where} must use http or https (got "${url.protocol}")`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new SettingsError(
      key,
      `${where} must not carry credentials, a query or a fragment; set the token with ${describeSetting(settingKeys.token)}`,
    );
  }
  return url.toString().replace(/\/+$/, "");
}

/**
 * check()'s verdict on the settings: a bad setting or no credentials fails in preview. Without
 * credentials the failure is `missing()` (the default account's keys unless given), built only
 * once the settings have been read, so it can say what they lack.
 */
export function settingsFailures(
  settings: () => Settings,
  missing: () => CheckFailure = () => ({
    property: settingKeys.token.configKey,
    reason: noCredentials(),
  }),
): CheckFailure[] {
  let current: Settings;
  try {
    current = settings();
  } catch (error) {
    if (error instanceof SettingsError)
      return [{ property: error.key.configKey, reason: error.message }];
    throw error;
  }
  return current.credentials ? [] : [missing()];
}
