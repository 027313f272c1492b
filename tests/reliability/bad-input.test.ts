// Bad input, end to end through the provider host: every case ends in one clear line that names
// the resource (or the setting) and the rule, no write reaches GitHub, and no value is echoed.
import * as path from "node:path";
import {
  DEFAULT_READONLY_TOKEN,
  startEmulator,
  type Emulator,
} from "../../tools/github-emulator";
import type { CheckFailure } from "../../provider/types";
import { ProviderError } from "../../tools/provider-host";
import { hostPool } from "../support/host";
import { leaksIn } from "../support/leaks";
import {
  repositoryRoot,
  serializedProvider,
} from "../support/serialized-provider";

const value = "bad-input-secret-value-0042";
const sealedElsewhere = Buffer.alloc(80, 9).toString("base64");

interface BadCase {
  name: string;
  kind: string;
  args: Record<string, unknown>;
  /** Every check failure, exactly, or the one line create fails with. */
  expect: { failures: CheckFailure[] } | { error: string };
  config?: Record<string, string>;
}

const repo = { repository: "api", secretName: "TOKEN", value };
const org = { org: "acme", secretName: "TOKEN", value };

const cases: BadCase[] = [
  // Names
  {
    name: "name with a dash",
    kind: "RepoSecret",
    args: { ...repo, secretName: "MY-TOKEN" },
    expect: {
      failures: [
        {
          property: "secretName",
          reason:
            "secretName may contain only letters, digits and underscores ([A-Za-z0-9_])",
        },
      ],
    },
  },
  {
    name: "name with a dot",
    kind: "OrgSecret",
    args: { ...org, secretName: "MY.TOKEN" },
    expect: {
      failures: [
        {
          property: "secretName",
          reason:
            "secretName may contain only letters, digits and underscores ([A-Za-z0-9_])",
        },
      ],
    },
  },
  {
    name: "name with a space",
    kind: "AgentSecret",
    args: { ...repo, secretName: "MY TOKEN" },
    expect: {
      failures: [
        {
          property: "secretName",
          reason:
            "secretName may contain only letters, digits and underscores ([A-Za-z0-9_])",
        },
      ],
    },
  },
  {
    name: "name with an emoji",
    kind: "CodespacesSecret",
    args: { ...repo, secretName: "KEY_🔑" },
    expect: {
      failures: [
        {
          property: "secretName",
          reason:
            "secretName may contain only letters, digits and underscores ([A-Za-z0-9_])",
        },
      ],
    },
  },
  {
    name: "name starting with a digit",
    kind: "RepoSecret",
    args: { ...repo, secretName: "9LIVES" },
    expect: {
      failures: [
        {
          property: "secretName",
          reason: 'secretName "9LIVES" must not start with a digit',
        },
      ],
    },
  },
  {
    name: "reserved GITHUB_ prefix",
    kind: "EnvironmentSecret",
    args: { ...repo, environment: "dev", secretName: "GITHUB_TOKEN" },
    expect: {
      failures: [
        {
          property: "secretName",
          reason:
            'secretName "GITHUB_TOKEN" must not start with GITHUB_ (the prefix is reserved by GitHub)',
        },
      ],
    },
  },
  {
    name: "reserved prefix in mixed case",
    kind: "OrgSecret",
    args: { ...org, secretName: "GitHub_Token" },
    expect: {
      failures: [
        {
          property: "secretName",
          reason:
            'secretName "GitHub_Token" must not start with GITHUB_ (the prefix is reserved by GitHub)',
        },
      ],
    },
  },
  {
    name: "empty name",
    kind: "RepoSecret",
    args: { ...repo, secretName: "" },
    expect: {
      failures: [{ property: "secretName", reason: "secretName is required" }],
    },
  },
  // Sizes and encodings
  {
    name: "value one byte over 48 KB",
    kind: "RepoSecret",
    args: { ...repo, value: "v".repeat(48 * 1024 + 1) },
    expect: {
      failures: [
        {
          property: "value",
          reason:
            "value must be at most 48 KB (49152 bytes of UTF-8); it has 49153",
        },
      ],
    },
  },
  {
    name: "multi-byte value over 48 KB",
    kind: "OrgSecret",
    args: { ...org, value: "€".repeat(16 * 1024 + 1) },
    expect: {
      failures: [
        {
          property: "value",
          reason:
            "value must be at most 48 KB (49152 bytes of UTF-8); it has 49155",
        },
      ],
    },
  },
  {
    name: "empty value",
    kind: "CodespacesSecret",
    args: { ...repo, value: "" },
    expect: {
      failures: [
        {
          property: "value",
          reason: "value must not be empty (GitHub stores no empty secrets)",
        },
      ],
    },
  },
  {
    name: "no value",
    kind: "AgentSecret",
    args: { ...repo, value: undefined },
    expect: {
      failures: [
        {
          property: "value",
          reason:
            "give exactly one of value (plaintext, sealed by the provider), encryptedValue (already sealed) and valueFrom (read by the provider from an environment variable, a file or a command)",
        },
      ],
    },
  },
  {
    name: "value and encryptedValue",
    kind: "RepoSecret",
    args: { ...repo, encryptedValue: sealedElsewhere, keyId: "1" },
    expect: {
      failures: [
        {
          property: "value",
          reason:
            "give exactly one of value, encryptedValue and valueFrom, not value and encryptedValue",
        },
        {
          property: "keyId",
          reason:
            "keyId goes only with encryptedValue; a plaintext value is sealed for the current key",
        },
      ],
    },
  },
  // Values read by the provider (valueFrom): the source named, never what it holds
  {
    name: "valueFrom and value",
    kind: "RepoSecret",
    args: { ...repo, valueFrom: { env: "DEPLOY_KEY" } },
    expect: {
      failures: [
        {
          property: "valueFrom",
          reason:
            "give exactly one of value, encryptedValue and valueFrom, not value and valueFrom",
        },
      ],
    },
  },
  {
    name: "valueFrom variable not set",
    kind: "EnvironmentSecret",
    args: {
      ...repo,
      value: undefined,
      environment: "dev",
      valueFrom: { env: "BAD_INPUT_UNSET_VARIABLE" },
    },
    expect: {
      failures: [
        {
          property: "valueFrom",
          reason:
            "environment variable BAD_INPUT_UNSET_VARIABLE is not set in the environment of the pulumi process",
        },
      ],
    },
  },
  {
    name: "valueFrom file missing",
    kind: "OrgSecret",
    args: { ...org, value: undefined, valueFrom: { file: "no/such.pem" } },
    expect: {
      failures: [
        {
          property: "valueFrom",
          reason: `file no/such.pem (${path.join(repositoryRoot, "no/such.pem")}) does not exist (relative paths are read from the folder Pulumi runs the program in)`,
        },
      ],
    },
  },
  {
    name: "valueFrom command failing",
    kind: "CodespacesUserSecret",
    args: {
      secretName: "TOKEN",
      valueFrom: {
        command: [
          process.execPath,
          "-e",
          `console.log("${value}"); process.exit(2)`,
        ],
      },
    },
    expect: {
      failures: [
        {
          property: "valueFrom",
          reason: `command ${process.execPath} exited with status 2 (its output is not shown)`,
        },
      ],
    },
  },
  {
    name: "valueVersion without valueFrom",
    kind: "RepoSecret",
    args: { ...repo, valueVersion: "1" },
    expect: {
      failures: [
        {
          property: "valueVersion",
          reason:
            "valueVersion goes only with valueFrom: it tells when to read the source and write again",
        },
      ],
    },
  },
  {
    name: "encryptedValue not base64",
    kind: "RepoSecret",
    args: {
      ...repo,
      value: undefined,
      encryptedValue: "%%%not-base64%%%",
      keyId: "1",
    },
    expect: {
      failures: [
        {
          property: "encryptedValue",
          reason:
            "encryptedValue must be standard base64 (a libsodium sealed box, base64-encoded)",
        },
      ],
    },
  },
  {
    name: "encryptedValue URL-safe base64",
    kind: "RepoSecret",
    args: {
      ...repo,
      value: undefined,
      encryptedValue: "ab-_".repeat(20),
      keyId: "1",
    },
    expect: {
      failures: [
        {
          property: "encryptedValue",
          reason:
            "encryptedValue must be standard base64 (a libsodium sealed box, base64-encoded)",
        },
      ],
    },
  },
  {
    name: "encryptedValue too short",
    kind: "OrgSecret",
    args: { ...org, value: undefined, encryptedValue: "AAAAAAAA", keyId: "1" },
    expect: {
      failures: [
        {
          property: "encryptedValue",
          reason:
            "encryptedValue is too short to be a sealed box (it needs more than 48 bytes)",
        },
      ],
    },
  },
  {
    name: "encryptedValue without keyId",
    kind: "EnvironmentSecret",
    args: {
      ...repo,
      environment: "dev",
      value: undefined,
      encryptedValue: sealedElsewhere,
    },
    expect: {
      failures: [
        {
          property: "keyId",
          reason:
            "encryptedValue needs keyId: the key_id of the public key the value was sealed for",
        },
      ],
    },
  },
  {
    name: "keyId with a plaintext value",
    kind: "RepoSecret",
    args: { ...repo, keyId: "568250167242549743" },
    expect: {
      failures: [
        {
          property: "keyId",
          reason:
            "keyId goes only with encryptedValue; a plaintext value is sealed for the current key",
        },
      ],
    },
  },
  // Visibility combinations
  {
    name: "visibility public",
    kind: "OrgSecret",
    args: { ...org, visibility: "public" },
    expect: {
      failures: [
        {
          property: "visibility",
          reason: 'visibility must be one of "all", "private", "selected"',
        },
      ],
    },
  },
  {
    name: "repositories with visibility all",
    kind: "OrgSecret",
    args: { ...org, visibility: "all", selectedRepositoryIds: [101] },
    expect: {
      failures: [
        {
          property: "selectedRepositoryIds",
          reason:
            'selectedRepositoryIds goes only with visibility "selected" (visibility is "all")',
        },
      ],
    },
  },
  {
    name: "repositories with visibility private",
    kind: "OrgSecret",
    args: { ...org, visibility: "private", selectedRepositoryIds: [101] },
    expect: {
      failures: [
        {
          property: "selectedRepositoryIds",
          reason:
            'selectedRepositoryIds goes only with visibility "selected" (visibility is "private")',
        },
      ],
    },
  },
  {
    name: "repository id zero",
    kind: "OrgSecret",
    args: { ...org, selectedRepositoryIds: [0] },
    expect: {
      failures: [
        {
          property: "selectedRepositoryIds",
          reason:
            "selectedRepositoryIds must hold positive whole numbers (repository ids, e.g. repository.repoId)",
        },
      ],
    },
  },
  {
    name: "fractional repository id",
    kind: "OrgSecret",
    args: { ...org, selectedRepositoryIds: [101.5] },
    expect: {
      failures: [
        {
          property: "selectedRepositoryIds",
          reason:
            "selectedRepositoryIds must hold positive whole numbers (repository ids, e.g. repository.repoId)",
        },
      ],
    },
  },
  {
    name: "visibility on a repository secret",
    kind: "RepoSecret",
    args: { ...repo, visibility: "all" },
    expect: {
      failures: [
        {
          property: "visibility",
          reason:
            'RepoSecret has no argument "visibility"; it takes owner, repository, secretName, value, encryptedValue, keyId, valueFrom, valueVersion, onDrift, account',
        },
      ],
    },
  },
  {
    name: "repository id of another organization",
    kind: "OrgSecret",
    args: { ...org, selectedRepositoryIds: [301] },
    expect: {
      error:
        "OrgSecret TOKEN in organization acme: writing the secret failed: GitHub answered 422: Invalid request. Repository 301 is not a repository of acme. (GitHub rejected the request as invalid)",
    },
  },
  // Missing or unknown scope
  {
    name: "missing repository",
    kind: "RepoSecret",
    args: { ...repo, repository: undefined },
    expect: {
      failures: [
        {
          property: "repository",
          reason:
            "repository (the repository) is required: set the repository argument",
        },
      ],
    },
  },
  {
    name: "owner/name in repository",
    kind: "RepoSecret",
    args: { ...repo, repository: "acme/api" },
    expect: {
      failures: [
        {
          property: "repository",
          reason:
            'repository "acme/api" must be a bare repository name; give the account as owner',
        },
      ],
    },
  },
  {
    name: "missing environment",
    kind: "EnvironmentSecret",
    args: { ...repo },
    expect: {
      failures: [
        {
          property: "environment",
          reason:
            "environment (the environment) is required: set the environment argument",
        },
      ],
    },
  },
  {
    name: "missing owner without github:owner",
    kind: "RepoSecret",
    args: repo,
    config: { "github:owner": "" },
    expect: {
      failures: [
        {
          property: "owner",
          reason:
            "owner (the repository owner) is required: set the owner argument, stack config `github:owner` or the GITHUB_OWNER environment variable",
        },
      ],
    },
  },
  {
    name: "missing org without github:owner",
    kind: "OrgSecret",
    args: { ...org, org: undefined },
    config: { "github:owner": "" },
    expect: {
      failures: [
        {
          property: "org",
          reason:
            "org (the organization) is required: set the org argument, stack config `github:owner` or the GITHUB_OWNER environment variable",
        },
      ],
    },
  },
  {
    name: "unknown repository",
    kind: "RepoSecret",
    args: { ...repo, repository: "no-such-repo" },
    expect: {
      error:
        "RepoSecret TOKEN in repository acme/no-such-repo: fetching the public key failed: GitHub answered 404: Not Found (GitHub answers 404 both for a scope that does not exist and for one the token may not see)",
    },
  },
  {
    name: "unknown environment",
    kind: "EnvironmentSecret",
    args: { ...repo, environment: "staging" },
    expect: {
      error:
        'EnvironmentSecret TOKEN in environment "staging" of repository acme/api: fetching the public key failed: GitHub answered 404: Not Found (GitHub answers 404 both for a scope that does not exist and for one the token may not see)',
    },
  },
  {
    name: "unknown organization",
    kind: "OrgSecret",
    args: { ...org, org: "no-such-org" },
    expect: {
      error:
        "OrgSecret TOKEN in organization no-such-org: fetching the public key failed: GitHub answered 404: Not Found (GitHub answers 404 both for a scope that does not exist and for one the token may not see)",
    },
  },
  // Credentials
  {
    name: "no token",
    kind: "RepoSecret",
    args: repo,
    config: { "github:token": "" },
    expect: {
      failures: [
        {
          property: "github:token",
          reason:
            "no GitHub credentials: set stack config `github:token` or the GITHUB_TOKEN environment variable (pulumi config set --secret github:token …), or a GitHub App with stack config `github:appAuth` or the GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE environment variables, or log in with `gh auth login`",
        },
      ],
    },
  },
  {
    name: "revoked token",
    kind: "RepoSecret",
    args: repo,
    config: { "github:token": "ghp_revokedRevokedRevoked000000000000" },
    expect: {
      error:
        "RepoSecret TOKEN in repository acme/api: fetching the public key failed: GitHub answered 401: Bad credentials (the token is missing, expired or revoked: check stack config `github:token` or the GITHUB_TOKEN environment variable)",
    },
  },
  {
    name: "token without write permission",
    kind: "CodespacesSecret",
    args: repo,
    config: { "github:token": DEFAULT_READONLY_TOKEN },
    expect: {
      error:
        "CodespacesSecret TOKEN in repository acme/api: writing the secret failed: GitHub answered 403: Resource not accessible by personal access token (the token lacks the permission to manage these secrets, or a rate limit was hit)",
    },
  },
  {
    name: "base URL without a scheme",
    kind: "RepoSecret",
    args: repo,
    config: { "github:baseUrl": "github.example.com/api/v3" },
    expect: {
      failures: [
        {
          property: "github:baseUrl",
          reason:
            'stack config `github:baseUrl` or the GITHUB_BASE_URL environment variable must be an absolute http(s) URL such as https://api.github.com or https://HOST/api/v3 (got "github.example.com/api/v3")',
        },
      ],
    },
  },
  {
    name: "retries out of range",
    kind: "RepoSecret",
    args: repo,
    config: { "github:maxRetries": "-1" },
    expect: {
      failures: [
        {
          property: "github:maxRetries",
          reason:
            'stack config `github:maxRetries` or the GITHUB_MAX_RETRIES environment variable must be a whole number from 0 to 20 (got "-1")',
        },
      ],
    },
  },
];

let emulator: Emulator;
const pool = hostPool(() => emulator, "bad-input");

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

describe.each(cases)("$name", ({ kind, args, expect: expected, config }) => {
  test("one clear line, no write reaches GitHub, no value echoed", async () => {
    const host = await pool.hostFor(config);
    const urn = `urn:pulumi:test::bad-input::pulumi-nodejs:dynamic/github-secrets:${kind}::case`;
    emulator.resetLog();
    const checked = await host.check(
      urn,
      {},
      { __provider: await serializedProvider(kind), ...args },
    );
    let message: string;
    if ("failures" in expected) {
      expect(checked.failures).toEqual(expected.failures);
      message = checked.failures.map((f) => f.reason).join("\n");
      expect(emulator.requestLog()).toEqual([]);
    } else {
      expect(checked.failures).toEqual([]);
      const error = await host.create(urn, checked.inputs).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderError);
      message = (error as ProviderError).details;
      expect(message).toBe(expected.error);
      const writes = emulator
        .requestLog()
        .filter((r) => r.method !== "GET" && r.status < 300);
      expect(writes).toEqual([]);
    }
    // One line each: a failure's reason never spans lines.
    for (const line of message.split("\n")) expect(line).not.toBe("");
    expect(leaksIn(message, [value, sealedElsewhere])).toEqual([]);
  });
});

test("no host printed a value or a token", () => {
  const output = pool.output();
  expect(
    leaksIn(output, [
      value,
      emulator.token,
      DEFAULT_READONLY_TOKEN,
      "ghp_revokedRevokedRevoked000000000000",
    ]),
  ).toEqual([]);
});
