// What every lifecycle needs from the provider process (implemented once, in index.ts): the
// stack config and environment, the settings read from them, the shared API client and caches,
// the run's claims, and a way to tell the user something.
import type { SecretsApi } from "./api";
import type { Claims } from "./claims";
import type { ConfigSource } from "./config";
import type { Settings } from "./settings";

export interface ProviderContext {
  config(): ConfigSource | undefined;
  env(): NodeJS.ProcessEnv;
  settings(): Settings;
  api(): SecretsApi;
  claims(): Claims;
  /** A line for the user: the engine shows what a provider prints (plugin.go `runtrace`). */
  log(message: string): void;
}
