// Where a setting comes from: the stack config the engine hands to `configure()` (keys shared
// with @pulumi/github, so one stack config serves both), else the environment of the provider
// process. Read at call time, never captured in the serialized provider.

/** The part of Pulumi's dynamic-provider config object this provider uses. */
export interface ConfigSource {
  get(key: string): string | undefined;
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
  secondaryLimitWaitSeconds: {
    configKey: "github:secondaryLimitWaitSeconds",
    envVar: "GITHUB_SECONDARY_LIMIT_WAIT_SECONDS",
  },
} as const satisfies Record<string, SettingKey>;

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

/** A bad setting, with the key it came from (check reports it as the failing property). */
export class SettingsError extends Error {
  constructor(
    readonly key: SettingKey,
    message: string,
  ) {
    super(message);
  }
}

/**
 * How messages name a config key. The dynamic provider reads the stack config (`github:token`);
 * the provider plugin reads its own provider config (`github-secrets:token`, or the `token`
 * argument of an explicit provider) and says so (plugin/main.ts).
 */
let configKeyWords = (configKey: string): string =>
  `stack config \`${configKey}\``;
/** The config key's name as the user sets it: `pulumi config set <this> …`. */
let configKeyName = (configKey: string): string => configKey;

export function nameConfigKeys(
  words: (configKey: string) => string,
  name: (configKey: string) => string,
): void {
  configKeyWords = words;
  configKeyName = name;
}

/** "stack config `github:token`" */
export function configText(configKey: string): string {
  return configKeyWords(configKey);
}

/** "github:token", as `pulumi config set` takes it. */
export function configName(configKey: string): string {
  return configKeyName(configKey);
}

/** "stack config `github:token` or the GITHUB_TOKEN environment variable" */
export function describeSetting(key: SettingKey): string {
  return `${configText(key.configKey)} or the ${key.envVar} environment variable`;
}
