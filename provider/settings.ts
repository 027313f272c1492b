// Where the provider gets its credentials and defaults. The values come from the stack config
// that the engine hands to `configure()` (keys shared with @pulumi/github, so one stack config
// serves both), else from the environment of the provider process. They are read at call time
// and never captured in the serialized provider, so no token ever reaches the state.

/** The part of Pulumi's dynamic-provider config object this provider uses. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface Settings {
  readonly token?: string;
  readonly baseUrl: string;
  readonly owner?: string;
  /** Transient-failure retries per request (github:maxRetries / GITHUB_MAX_RETRIES). */
  readonly maxRetries: number;
}

/** A setting: its stack config key, its environment variable, and what it is for. */
export interface SettingKey {
  readonly configKey: string;
  readonly envVar: string;
}

export const settingKeys = {
  token: { configKey: "github:token", envVar: "GITHUB_TOKEN" },
  baseUrl: { configKey: "github:baseUrl", envVar: "GITHUB_BASE_URL" },
  owner: { configKey: "github:owner", envVar: "GITHUB_OWNER" },
  maxRetries: { configKey: "github:maxRetries", envVar: "GITHUB_MAX_RETRIES" },
} as const satisfies Record<string, SettingKey>;

export const defaultBaseUrl = "https://api.github.com";
const defaultMaxRetries = 3;

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

export class SettingsError extends Error {}

export function readSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): Settings {
  const baseUrl = normalizeBaseUrl(
    lookup(settingKeys.baseUrl, config, env) ?? defaultBaseUrl,
  );
  const retries = lookup(settingKeys.maxRetries, config, env);
  const maxRetries =
    retries === undefined ? defaultMaxRetries : Number(retries);
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 20) {
    throw new SettingsError(
      `${describe(settingKeys.maxRetries)} must be a whole number from 0 to 20 (got "${retries}")`,
    );
  }
  const token = lookup(settingKeys.token, config, env);
  const owner = lookup(settingKeys.owner, config, env);
  return {
    baseUrl,
    maxRetries,
    ...(token ? { token } : {}),
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
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SettingsError(
      `${describe(settingKeys.baseUrl)} must be an absolute http(s) URL such as ${defaultBaseUrl} or https://HOST/api/v3 (got "${raw}")`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new SettingsError(
      `${describe(settingKeys.baseUrl)} must use http or https (got "${url.protocol}")`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new SettingsError(
      `${describe(settingKeys.baseUrl)} must not carry credentials, a query or a fragment; set the token with ${describe(settingKeys.token)}`,
    );
  }
  return url.toString().replace(/\/+$/, "");
}
