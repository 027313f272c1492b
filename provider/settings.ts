// Where the provider gets its credentials and defaults. The values come from the stack config
// that the engine hands to `configure()` (keys shared with @pulumi/github, so one stack config
// serves both), else from the environment of the provider process. They are read at call time
// and never captured in the serialized provider, so no token ever reaches the state.

import { resolveCredentials, type Credentials } from "./credentials";
import type { TrafficSettings } from "./traffic";

/** The part of Pulumi's dynamic-provider config object this provider uses. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface Settings extends TrafficSettings {
  readonly credentials?: Credentials;
  readonly baseUrl: string;
  readonly owner?: string;
}

/** A setting: its stack config key and its environment variable. */
export interface SettingKey {
  readonly configKey: string;
  readonly envVar: string;
}

export const settingKeys = {
  token: { configKey: "github:token", envVar: "GITHUB_TOKEN" },
  baseUrl: { configKey: "github:baseUrl", envVar: "GITHUB_BASE_URL" },
  owner: { configKey: "github:owner", envVar: "GITHUB_OWNER" },
  maxRetries: { configKey: "github:maxRetries", envVar: "GITHUB_MAX_RETRIES" },
  retryDelayMs: {
    configKey: "github:retryDelayMs",
    envVar: "GITHUB_RETRY_DELAY_MS",
  },
  requestTimeoutMs: {
    configKey: "github:requestTimeoutMs",
    envVar: "GITHUB_REQUEST_TIMEOUT_MS",
  },
  maxConcurrency: {
    configKey: "github:maxConcurrency",
    envVar: "GITHUB_MAX_CONCURRENCY",
  },
  pointsPerMinute: {
    configKey: "github:pointsPerMinute",
    envVar: "GITHUB_POINTS_PER_MINUTE",
  },
} as const satisfies Record<string, SettingKey>;

export const defaultBaseUrl = "https://api.github.com";

/** Numeric settings: default and allowed range. GitHub's documented limits are the defaults. */
const numbers = {
  maxRetries: { default: 3, min: 0, max: 20 },
  retryDelayMs: { default: 500, min: 1, max: 60_000 },
  requestTimeoutMs: { default: 30_000, min: 100, max: 600_000 },
  // GitHub: no more than 100 concurrent requests.
  maxConcurrency: { default: 100, min: 1, max: 100 },
  // GitHub: no more than 900 points per minute for REST, a write costing 5.
  pointsPerMinute: { default: 900, min: 5, max: 10_000_000 },
} as const;

/** A setting from the stack config, else the environment; blank counts as absent. */
export function lookup(
  key: SettingKey,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  for (const candidate of [config?.get(key.configKey), env[key.envVar]]) {
    if (candidate !== undefined && candidate.trim() !== "")
      return candidate.trim();
  }
  return undefined;
}

export class SettingsError extends Error {
  constructor(
    readonly key: SettingKey,
    message: string,
  ) {
    super(message);
  }
}

export function readSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): Settings {
  const baseUrl = normalizeBaseUrl(
    lookup(settingKeys.baseUrl, config, env) ?? defaultBaseUrl,
  );
  const number = (name: keyof typeof numbers): number => {
    const raw = lookup(settingKeys[name], config, env);
    const { default: fallback, min, max } = numbers[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new SettingsError(
        settingKeys[name],
        `${describe(settingKeys[name])} must be a whole number from ${min} to ${max} (got "${raw}")`,
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
    ...(credentials ? { credentials } : {}),
    ...(owner ? { owner } : {}),
  };
}

/** "stack config `github:token` or the GITHUB_TOKEN environment variable" */
export function describe(key: SettingKey): string {
  return `stack config \`${key.configKey}\` or the ${key.envVar} environment variable`;
}

/**
 * Accepts https://api.github.com and Enterprise Server bases such as https://HOST/api/v3,
 * with or without a trailing slash. The path is kept as given: the API base is what the user
 * names, so a local emulator or a proxy works as well as GitHub.
 */
export function normalizeBaseUrl(raw: string): string {
  const key = settingKeys.baseUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(
      key,
      `${describe(key)} must be an absolute http(s) URL such as ${defaultBaseUrl} or https://HOST/api/v3 (got "${raw}")`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new SettingsError(
      key,
      `${describe(key)} must use http or https (got "${url.protocol}")`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new SettingsError(
      key,
      `${describe(key)} must not carry credentials, a query or a fragment; set the token with ${describe(settingKeys.token)}`,
    );
  }
  return url.toString().replace(/\/+$/, "");
}
