// A dynamic-provider host (the process `pulumi up` starts) configured against the emulator the
// way a stack would be: the emulator's base URL and token, organization acme.
import type { Emulator } from "../../tools/github-emulator";
import {
  startProviderHost,
  type ProviderHost,
} from "../../tools/provider-host";
import { repositoryRoot } from "./serialized-provider";

/** A developer's own GitHub settings must not reach the host under test. */
export const isolatedEnv: NodeJS.ProcessEnv = {
  GITHUB_TOKEN: undefined,
  GITHUB_OWNER: undefined,
  GITHUB_BASE_URL: undefined,
  GITHUB_MAX_RETRIES: undefined,
  GITHUB_APP_ID: undefined,
  GITHUB_APP_INSTALLATION_ID: undefined,
  GITHUB_APP_PEM_FILE: undefined,
};

/** Starts and configures a host; `config` overrides the defaults, and "" removes a key. */
export async function hostAgainst(
  emulator: Emulator,
  project: string,
  config: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<ProviderHost> {
  const settings: Record<string, string> = {
    "github:token": emulator.token,
    "github:baseUrl": emulator.url,
    "github:owner": "acme",
    ...config,
  };
  for (const [key, value] of Object.entries(settings))
    if (value === "") delete settings[key];
  const host = await startProviderHost({
    cwd: repositoryRoot,
    project,
    env: { ...isolatedEnv, ...env },
  });
  await host.configure(settings);
  return host;
}
