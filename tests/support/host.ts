// Dynamic-provider hosts (the process `pulumi up` starts) configured against the emulator the
// way a stack would be: the emulator's base URL and token, organization acme. A test file shares
// one host per configuration and deployment: starting one costs about a second.
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

/**
 * The hosts a test file shares, closed after its tests. A host is one deployment: it never
 * deletes what it wrote itself (claims.ts), so a test that deletes what it created does it in a
 * later one, as Pulumi would (`deployment: "later"`).
 */
export interface HostPool {
  hostFor(
    config?: Record<string, string>,
    deployment?: "up" | "later",
  ): Promise<ProviderHost>;
  /** Everything every host printed, for leak scans. */
  output(): string;
}

export function hostPool(emulator: () => Emulator, project: string): HostPool {
  const hosts = new Map<string, Promise<ProviderHost>>();
  const started: ProviderHost[] = [];
  afterAll(async () => {
    await Promise.all(started.map((host) => host.close()));
  });
  return {
    hostFor(config = {}, deployment = "up") {
      const key = `${deployment}\u0000${JSON.stringify(config)}`;
      let host = hosts.get(key);
      if (!host) {
        host = hostAgainst(emulator(), project, config).then((h) => {
          started.push(h);
          return h;
        });
        hosts.set(key, host);
      }
      return host;
    },
    output: () => started.map((host) => host.output()).join("\n"),
  };
}
