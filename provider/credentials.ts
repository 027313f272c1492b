// Who the provider is to GitHub, in the order @pulumi/github and terraform-provider-github use:
// a token (stack config, then GITHUB_TOKEN), else a GitHub App installation (github:appAuth or
// the GITHUB_APP_* variables), else what the GitHub CLI is logged in as (`gh auth token`).
// Resolved in the provider process at call time; never stored, never printed.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import {
  configName,
  configText,
  describeSetting,
  lookup,
  settingKeys,
  SettingsError,
  type ConfigSource,
} from "./config";

export type Credentials =
  | { readonly kind: "token"; readonly token: string; readonly source: string }
  | {
      readonly kind: "app";
      readonly appId: string;
      readonly installationId: string;
      readonly privateKey: string;
    };

/** Where the GitHub App settings come from (also read by tests/readme: the keys README may name). */
export const appKeys = {
  config: "github:appAuth",
  id: "GITHUB_APP_ID",
  installationId: "GITHUB_APP_INSTALLATION_ID",
  pemFile: "GITHUB_APP_PEM_FILE",
} as const;

/** The `gh` call, replaceable in tests. Answers undefined when gh is absent or not logged in. */
export type GhToken = (hostname: string) => string | undefined;

export const ghAuthToken: GhToken = (hostname) => {
  try {
    const token = execFileSync(
      "gh",
      ["auth", "token", "--hostname", hostname],
      {
        encoding: "utf8",
        timeout: 10_000,
        // Whatever gh says on stderr stays out of Pulumi's output.
        stdio: ["ignore", "pipe", "ignore"],
      },
    ).trim();
    return token === "" ? undefined : token;
  } catch {
    return undefined;
  }
};

export function resolveCredentials(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
  baseUrl: string,
  gh: GhToken = ghAuthToken,
): Credentials | undefined {
  const fromConfig = config?.get(settingKeys.token.configKey)?.trim();
  if (fromConfig)
    return {
      kind: "token",
      token: fromConfig,
      source: settingKeys.token.configKey,
    };
  const token = lookup(settingKeys.token, undefined, env);
  if (token) return { kind: "token", token, source: settingKeys.token.envVar };
  const app = appCredentials(config, env);
  if (app) return app;
  const viaGh = gh(ghHostname(baseUrl));
  return viaGh
    ? { kind: "token", token: viaGh, source: "gh auth token" }
    : undefined;
}

/** github.com for the public API; the server's host for Enterprise Server (https://HOST/api/v3). */
export function ghHostname(baseUrl: string): string {
  const host = new URL(baseUrl).host;
  return host === "api.github.com" ? "github.com" : host;
}

function appCredentials(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): Credentials | undefined {
  const raw = config?.get(appKeys.config)?.trim();
  let fields: { id?: unknown; installationId?: unknown; pemFile?: unknown };
  let where: string;
  if (raw) {
    where = configText(appKeys.config);
    try {
      fields = JSON.parse(raw) as typeof fields;
    } catch {
      throw appError(
        `${where} must be an object {id, installationId, pemFile}`,
      );
    }
  } else if (
    env[appKeys.id] ||
    env[appKeys.installationId] ||
    env[appKeys.pemFile]
  ) {
    where = `the ${appKeys.id}, ${appKeys.installationId} and ${appKeys.pemFile} environment variables`;
    fields = {
      id: env[appKeys.id],
      installationId: env[appKeys.installationId],
      pemFile: env[appKeys.pemFile],
    };
  } else {
    return undefined;
  }
  return appFromFields(fields, where);
}

/**
 * An App's credentials from `{id, installationId, pemFile}` (github:appAuth's shape, also an
 * account's `appAuth`); `where` names the setting in messages.
 */
export function appFromFields(
  fields: { id?: unknown; installationId?: unknown; pemFile?: unknown },
  where: string,
): Credentials {
  const text = (value: unknown) =>
    typeof value === "number"
      ? String(value)
      : typeof value === "string"
        ? value.trim()
        : "";
  const appId = text(fields.id);
  const installationId = text(fields.installationId);
  if (!/^\d+$/.test(appId))
    throw appError(`${where}: the App id must be a number`);
  if (!/^\d+$/.test(installationId))
    throw appError(`${where}: the installation id must be a number`);
  return {
    kind: "app",
    appId,
    installationId,
    privateKey: privateKeyOf(text(fields.pemFile), where),
  };
}

/** The PEM itself (as terraform's pem_file takes it), or the path of a file holding it. */
function privateKeyOf(pemFile: string, where: string): string {
  if (pemFile.includes("-----BEGIN"))
    return `${pemFile.replace(/\\n/g, "\n").trim()}\n`;
  if (pemFile === "")
    throw appError(
      `${where}: pemFile (the App's private key, PEM) is required`,
    );
  try {
    const pem = fs.readFileSync(pemFile, "utf8");
    if (pem.includes("-----BEGIN")) return pem;
  } catch {
    // Reported below without echoing what was given: it may be a mangled key.
  }
  throw appError(
    `${where}: pemFile must hold the App's private key (PEM text) or the path of a readable PEM file`,
  );
}

function appError(message: string): SettingsError {
  return new SettingsError(
    { configKey: appKeys.config, envVar: appKeys.pemFile },
    message,
  );
}

export function noCredentials(): string {
  return (
    `no GitHub credentials: set ${describeSetting(settingKeys.token)} (pulumi config set --secret ${configName(settingKeys.token.configKey)} …), ` +
    `or a GitHub App with ${configText(appKeys.config)} or the ${appKeys.id}, ${appKeys.installationId} and ` +
    `${appKeys.pemFile} environment variables, or log in with \`gh auth login\``
  );
}
