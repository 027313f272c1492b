// The provider plugin's Pulumi package schema, built from the kinds table (kinds.ts) and the
// settings (config.ts): one resource per row and per derived selection row, never kept by hand.
// `npm run schema` writes it to sdk/schema.json, from which Pulumi's own generators make the
// SDKs (tools/pulumi-cli/sdkgen); CI regenerates both and fails on a difference.

import { accountsKey } from "../accounts";
import { settingKeys } from "../config";
import {
  kinds,
  selectionKinds,
  type ScopeKey,
  type SecretKind,
  type SelectionKind,
} from "../kinds";
import { numberSettings, defaultBaseUrl } from "../settings";
import { defaultTimeoutSeconds } from "../sources";

/** The package name: type tokens are `github-secrets:index:RepoSecret`. */
export const packageName = "github-secrets";

/** Where this repository is published (a placeholder until it is). */
const repositoryPath = "pulumi-github-secrets/pulumi-github-secrets";

/** The Go import path of the generated Go SDK (where this repository publishes it). */
export const goImportBasePath = `github.com/${repositoryPath}/sdk/go/githubsecrets`;

/**
 * Where the engine downloads the plugin when a program needs a version that is not in the plugin
 * cache: the release of that version in this repository, asset
 * pulumi-resource-github-secrets-v<version>-<os>-<arch>.tar.gz (`npm run plugin:pack`).
 */
export const pluginDownloadURL = `github://api.github.com/${repositoryPath}`;

interface TypeSpec {
  type?: string;
  $ref?: string;
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
}

interface Property extends TypeSpec {
  description: string;
  secret?: boolean;
  default?: unknown;
  defaultInfo?: { environment: string[] };
}

interface ObjectSpec {
  description: string;
  properties: Record<string, Property>;
  required?: string[];
}

interface ResourceSpec extends ObjectSpec {
  inputProperties: Record<string, Property>;
  requiredInputs?: string[];
}

export interface PackageSchema {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  homepage: string;
  license: string;
  publisher: string;
  repository: string;
  pluginDownloadURL: string;
  meta: { moduleFormat: string };
  config: { variables: Record<string, Property> };
  provider: ResourceSpec;
  types: Record<string, object>;
  resources: Record<string, ResourceSpec>;
  language: Record<string, object>;
}

const token = (name: string) => `${packageName}:index:${name}`;
const ref = (name: string) => `#/types/${token(name)}`;

const text = (description: string): Property => ({
  type: "string",
  description,
});

const scopeDescriptions: Record<ScopeKey["arg"], string> = {
  owner:
    "Account that owns the repository; default: the provider's `owner` (GITHUB_OWNER).",
  org: "Organization; default: the provider's `owner` (GITHUB_OWNER).",
  repository:
    "Repository name without the owner, e.g. the `name` of a `github.Repository`.",
  environment:
    "Deployment environment name (any characters GitHub allows; URL-encoded by the provider).",
};

/** Scope arguments with a fallback (owner, org) are optional; the others are required. */
function scopeProperties(kind: SecretKind): Record<string, Property> {
  return Object.fromEntries(
    kind.scope.map((key) => [key.arg, text(scopeDescriptions[key.arg])]),
  );
}

const requiredScope = (kind: SecretKind) =>
  kind.scope.filter((key) => key.fallback === undefined).map((key) => key.arg);

const accountProperty = text(
  "A name of the provider's `accounts` (its own credentials, API host, owner); default: the provider's own credentials.",
);

const selectedRepositoryIds: Property = {
  type: "array",
  items: { type: "integer" },
  description:
    "Repository ids that may use the secret; order does not matter. Leave it out to leave the list as it is (e.g. managed by a `…Repositories` resource).",
};
const selectedRepositories: Property = {
  type: "array",
  items: { type: "string" },
  description:
    'Repository names, "api" (of the secret\'s organization, or the provider\'s `owner`) or "owner/api"; resolved to ids and merged with `selectedRepositoryIds`. An unknown name fails.',
};

function secretResource(kind: SecretKind): ResourceSpec {
  const scope = scopeProperties(kind);
  const visibility: Record<string, Property> = kind.visibility
    ? {
        visibility: {
          $ref: ref("Visibility"),
          description:
            'Which repositories of the organization may use the secret. Default: "selected" when repositories are given, else "private" (the least exposure).',
        },
      }
    : {};
  const selectionOutput: Record<string, Property> = kind.selectedRepositories
    ? { selectedRepositoryIds }
    : {};
  return {
    description: `A ${kind.description}. GitHub never returns a value: the provider seals it (libsodium sealed box) for the scope's public key, and keeps only a salted digest, as a secret.`,
    inputProperties: {
      ...scope,
      secretName: text(
        "Name of the secret. GitHub stores it upper case; compared without regard to case.",
      ),
      value: {
        ...text(
          "Plaintext value; sealed by the provider for the scope's public key. Give exactly one of `value`, `encryptedValue` and `valueFrom`.",
        ),
        secret: true,
      },
      encryptedValue: {
        ...text(
          "A value you sealed yourself (base64 libsodium sealed box); needs `keyId`.",
        ),
        secret: true,
      },
      keyId: text("key_id of the public key `encryptedValue` was sealed for."),
      valueFrom: {
        $ref: ref("ValueSource"),
        description:
          "Where the provider reads the value when it writes it, so the value never enters the Pulumi state: an environment variable, a file, a key of a dotenv file or a command. The state keeps this description and a salted scrypt digest of the value, as a secret (nothing with `valueVersion`).",
      },
      valueVersion: text(
        "With `valueFrom`: read the source and write only when this changes (or the secret is created); nothing derived from the value is kept, and `pulumi preview` needs no access to the source.",
      ),
      onDrift: {
        $ref: ref("OnDrift"),
        description:
          'What the next `pulumi up` does when refresh found the value changed outside Pulumi: "overwrite" (default) writes the declared value again, "ignore" leaves it.',
      },
      account: accountProperty,
      ...visibility,
      ...(kind.selectedRepositories
        ? { selectedRepositoryIds, selectedRepositories }
        : {}),
    },
    requiredInputs: [...requiredScope(kind), "secretName"],
    properties: {
      ...scope,
      secretName: text("The name as GitHub stores it (upper case)."),
      account: text("The account that wrote it (absent: the provider's own)."),
      apiHost: text("The API host the secret lives on (host:port)."),
      keyId: text("key_id of the public key the value was sealed for."),
      createdAt: text("When GitHub created the secret."),
      updatedAt: text("When GitHub last changed the secret."),
      valueDigest: {
        ...text(
          "Salted HMAC of the value (a salted scrypt digest for `valueFrom`), by which a changed value is told without GitHub revealing it.",
        ),
        secret: true,
      },
      valueVersion: text("The `valueVersion` of the last write."),
      ...visibility,
      ...selectionOutput,
    },
    required: [
      ...kind.scope.map((key) => key.arg),
      "secretName",
      "apiHost",
      "keyId",
      "createdAt",
      "updatedAt",
    ],
  };
}

function selectionResource(selection: SelectionKind): ResourceSpec {
  const { secret, owns } = selection;
  const scope = scopeProperties(secret);
  const repositories: Record<string, Property> =
    owns === "list"
      ? { selectedRepositoryIds, selectedRepositories }
      : {
          repositoryId: {
            type: "integer",
            description: "The repository's id; or give `repository`.",
          },
          repository: text(
            'The repository\'s name, "api" or "owner/api"; or give `repositoryId`.',
          ),
        };
  const idOutput: Record<string, Property> =
    owns === "list"
      ? {
          selectedRepositoryIds: {
            ...selectedRepositoryIds,
            description: "The selection's repository ids.",
          },
        }
      : {
          repositoryId: {
            type: "integer",
            description: "The repository's id.",
          },
        };
  return {
    description:
      owns === "list"
        ? `The whole repository selection of a ${secret.name} (${secret.description}). Declare the secret without repositories and with visibility "selected".`
        : `One repository in the selection of a ${secret.name} (${secret.description}); others may be added by other resources.`,
    inputProperties: {
      ...scope,
      secretName: text(
        "The secret's name, best the `secretName` output of the secret resource.",
      ),
      account: accountProperty,
      ...repositories,
    },
    requiredInputs: [...requiredScope(secret), "secretName"],
    properties: {
      ...scope,
      secretName: text("The secret's name as GitHub stores it."),
      account: text("The secret's account (absent: the provider's own)."),
      apiHost: text("The API host the secret lives on (host:port)."),
      ...idOutput,
    },
    required: [
      ...secret.scope.map((key) => key.arg),
      "secretName",
      ...Object.keys(idOutput),
    ],
  };
}

const appAuthType: ObjectSpec = {
  description:
    "A GitHub App installation to authenticate as (as @pulumi/github's `appAuth`).",
  properties: {
    id: text("The App's id."),
    installationId: text("The installation's id."),
    pemFile: {
      ...text("The App's private key (PEM text), or the path of a PEM file."),
      secret: true,
    },
  },
  required: ["id", "installationId", "pemFile"],
};

const valueSourceType: ObjectSpec = {
  description:
    "Where the provider reads a secret's value: exactly one of `env`, `file` (with an optional `key`) and `command` (with an optional `timeoutSeconds`). Relative paths and commands are taken in the folder Pulumi runs the program in.",
  properties: {
    env: text("An environment variable of the pulumi process."),
    file: text(
      "A file whose whole content is the value; with `key`, a dotenv file (KEY=value lines).",
    ),
    key: text("With `file`: the key of the dotenv file that holds the value."),
    command: {
      type: "array",
      items: { type: "string" },
      description:
        'A command, program first (`["op", "read", "op://vault/item/field"]`), run without a shell with the pulumi process\'s environment; its standard output less one trailing newline is the value. Its output and errors are never shown.',
    },
    timeoutSeconds: {
      type: "integer",
      description: `With \`command\`: how long it may run, in seconds (default ${defaultTimeoutSeconds}).`,
    },
  },
};

const accountType: ObjectSpec = {
  description:
    "Credentials, API host and owner of one more GitHub account, named by resources' `account`.",
  properties: {
    token: { ...text("A token for the account."), secret: true },
    tokenEnv: text(
      "An environment variable of the provider process that holds the token.",
    ),
    appAuth: {
      $ref: ref("AppAuth"),
      description: "A GitHub App installation instead of a token.",
    },
    baseUrl: text(
      "The account's API base URL (Enterprise Server: https://HOST/api/v3).",
    ),
    owner: text("The account's default owner or organization."),
  },
};

const numberDescriptions: Record<keyof typeof numberSettings, string> = {
  maxRetries:
    "How many times a request GitHub answers 5xx, 403/429 (rate limit) or not at all is tried again",
  retryDelayMs:
    "First delay between tries, in milliseconds (doubled at each try)",
  requestTimeoutMs: "How long one request may take, in milliseconds",
  maxConcurrency: "Requests in flight at once (GitHub: no more than 100)",
  pointsPerMinute:
    "GitHub's secondary rate limit, which the provider spends (900 points a minute, a read costing 1 and a write 5; it sends what fits in 95% of the last minute's budget)",
  secondaryLimitWaitSeconds:
    "First pause, in seconds, when GitHub refuses with a secondary rate limit and no retry-after (GitHub: at least a minute); doubled at each further refusal up to 8 times as long; after 90 times as long without a request going through, the request fails",
};

/** The provider's settings: one config key per setting of config.ts, named after the part after "github:". */
function configProperties(): Record<string, Property> {
  const env = (key: { envVar: string }) => ({
    defaultInfo: { environment: [key.envVar] },
  });
  const numbers = Object.fromEntries(
    Object.entries(numberSettings).map(([name, range]) => {
      const key = settingKeys[name as keyof typeof numberSettings];
      return [
        name,
        {
          type: "integer",
          description: `${numberDescriptions[name as keyof typeof numberSettings]}; ${range.min} to ${range.max}, default ${range.default} (${key.envVar}).`,
        },
      ];
    }),
  );
  return {
    token: {
      ...text(
        "A GitHub token (GITHUB_TOKEN); else a GitHub App (`appAuth`), else what `gh auth login` stored.",
      ),
      secret: true,
      ...env(settingKeys.token),
    },
    owner: {
      ...text(
        "The default owner of repositories and the default organization (GITHUB_OWNER).",
      ),
      ...env(settingKeys.owner),
    },
    baseUrl: {
      ...text(
        `The API base URL (GITHUB_BASE_URL); default ${defaultBaseUrl}. Enterprise Server: https://HOST/api/v3.`,
      ),
      ...env(settingKeys.baseUrl),
    },
    appAuth: {
      $ref: ref("AppAuth"),
      description:
        "A GitHub App installation to authenticate as, when no token is given (GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PEM_FILE).",
    },
    [configKeyOf(accountsKey.configKey)]: {
      type: "object",
      additionalProperties: { $ref: ref("Account") },
      description:
        "More GitHub accounts by name, for resources that give `account`. An explicit provider per account does the same.",
    },
    ...numbers,
  };
}

/** The plugin's config key for a setting of config.ts: "github:token" → "token". */
export function configKeyOf(settingKey: string): string {
  return settingKey.slice(settingKey.indexOf(":") + 1);
}

export function packageSchema(version: string): PackageSchema {
  const config = configProperties();
  const resources: Record<string, ResourceSpec> = {};
  for (const kind of Object.values(kinds as Record<string, SecretKind>))
    resources[token(kind.name)] = secretResource(kind);
  for (const selection of selectionKinds.values())
    resources[token(selection.name)] = selectionResource(selection);
  return {
    name: packageName,
    displayName: "GitHub Secrets",
    version,
    description:
      "Every kind of GitHub secret (Actions, environments, organizations, Dependabot, Codespaces, Copilot agents), sealed client-side with libsodium.",
    keywords: ["pulumi", "github", "secrets", "kind/native"],
    homepage: `https://github.com/${repositoryPath}`,
    license: "Apache-2.0",
    publisher: "pulumi-github-secrets",
    repository: `https://github.com/${repositoryPath}`,
    pluginDownloadURL,
    meta: { moduleFormat: "(.*)" },
    config: { variables: config },
    provider: {
      description:
        "The provider: credentials, API host, default owner, pacing and retries. Several providers reach several accounts or hosts.",
      inputProperties: config,
      properties: Object.fromEntries(
        Object.entries(config).filter(([, p]) => p.type === "string"),
      ),
    },
    types: {
      [token("Visibility")]: {
        type: "string",
        description:
          "Which repositories of the organization may use the secret.",
        enum: [
          {
            value: "all",
            description: "Every repository of the organization.",
          },
          {
            value: "private",
            description: "Private and internal repositories.",
          },
          { value: "selected", description: "The selected repositories only." },
        ],
      },
      [token("OnDrift")]: {
        type: "string",
        description:
          "What `pulumi up` does with a value changed outside Pulumi.",
        enum: [
          {
            value: "overwrite",
            description: "Write the declared value again.",
          },
          { value: "ignore", description: "Leave the value as it is." },
        ],
      },
      [token("ValueSource")]: { type: "object", ...valueSourceType },
      [token("AppAuth")]: { type: "object", ...appAuthType },
      [token("Account")]: { type: "object", ...accountType },
    },
    resources,
    language: {
      nodejs: {
        packageName: "pulumi-github-secrets-native",
        packageDescription:
          "Every kind of GitHub secret, through the github-secrets provider plugin.",
        dependencies: { "@pulumi/pulumi": "^3.140.0" },
        // The SDKs carry the package's version, which they ask the engine for the plugin by.
        respectSchemaVersion: true,
      },
      python: {
        packageName: "pulumi_github_secrets",
        requires: { pulumi: ">=3.140.0,<4.0.0" },
        pyproject: { enabled: true },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: goImportBasePath,
        generateResourceContainerTypes: true,
        respectSchemaVersion: true,
      },
      csharp: { rootNamespace: "PulumiGitHubSecrets" },
    },
  };
}
