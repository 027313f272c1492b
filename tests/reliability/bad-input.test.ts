// Bad input, end to end through the provider host: every case ends in one clear line that names
// the resource (or the setting) and the rule, no write reaches GitHub, and no value is echoed.
import {
  DEFAULT_READONLY_TOKEN,
  startEmulator,
  type Emulator,
} from "../../tools/github-emulator";
import { ProviderError, type ProviderHost } from "../../tools/provider-host";
import { hostAgainst } from "../support/host";
import { leaksIn } from "../support/leaks";
import { serializedProvider } from "../support/serialized-provider";

const value = "bad-input-secret-value-0042";
const sealedElsewhere = Buffer.alloc(80, 9).toString("base64");

interface BadCase {
  name: string;
  kind: string;
  args: Record<string, unknown>;
  /** Property and rule of a check failure, or the text of a create error. */
  expect: { property: string; rule: string } | { error: RegExp };
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
      property: "secretName",
      rule: "only letters, digits and underscores",
    },
  },
  {
    name: "name with a dot",
    kind: "OrgSecret",
    args: { ...org, secretName: "MY.TOKEN" },
    expect: {
      property: "secretName",
      rule: "only letters, digits and underscores",
    },
  },
  {
    name: "name with a space",
    kind: "AgentSecret",
    args: { ...repo, secretName: "MY TOKEN" },
    expect: {
      property: "secretName",
      rule: "only letters, digits and underscores",
    },
  },
  {
    name: "name with an emoji",
    kind: "CodespacesSecret",
    args: { ...repo, secretName: "KEY_🔑" },
    expect: {
      property: "secretName",
      rule: "only letters, digits and underscores",
    },
  },
  {
    name: "name starting with a digit",
    kind: "RepoSecret",
    args: { ...repo, secretName: "9LIVES" },
    expect: { property: "secretName", rule: "must not start with a digit" },
  },
  {
    name: "reserved GITHUB_ prefix",
    kind: "EnvironmentSecret",
    args: { ...repo, environment: "dev", secretName: "GITHUB_TOKEN" },
    expect: { property: "secretName", rule: "must not start with GITHUB_" },
  },
  {
    name: "reserved prefix in mixed case",
    kind: "OrgSecret",
    args: { ...org, secretName: "GitHub_Token" },
    expect: { property: "secretName", rule: "must not start with GITHUB_" },
  },
  {
    name: "empty name",
    kind: "RepoSecret",
    args: { ...repo, secretName: "" },
    expect: { property: "secretName", rule: "secretName is required" },
  },
  // Sizes and encodings
  {
    name: "value one byte over 48 KB",
    kind: "RepoSecret",
    args: { ...repo, value: "v".repeat(48 * 1024 + 1) },
    expect: { property: "value", rule: "at most 48 KB" },
  },
  {
    name: "multi-byte value over 48 KB",
    kind: "OrgSecret",
    args: { ...org, value: "€".repeat(16 * 1024 + 1) },
    expect: { property: "value", rule: "at most 48 KB" },
  },
  {
    name: "empty value",
    kind: "CodespacesSecret",
    args: { ...repo, value: "" },
    expect: { property: "value", rule: "must not be empty" },
  },
  {
    name: "no value",
    kind: "AgentSecret",
    args: { ...repo, value: undefined },
    expect: { property: "value", rule: "give exactly one of value" },
  },
  {
    name: "value and encryptedValue",
    kind: "RepoSecret",
    args: { ...repo, encryptedValue: sealedElsewhere, keyId: "1" },
    expect: { property: "value", rule: "not both" },
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
    expect: { property: "encryptedValue", rule: "standard base64" },
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
    expect: { property: "encryptedValue", rule: "standard base64" },
  },
  {
    name: "encryptedValue too short",
    kind: "OrgSecret",
    args: { ...org, value: undefined, encryptedValue: "AAAAAAAA", keyId: "1" },
    expect: {
      property: "encryptedValue",
      rule: "too short to be a sealed box",
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
    expect: { property: "keyId", rule: "encryptedValue needs keyId" },
  },
  {
    name: "keyId with a plaintext value",
    kind: "RepoSecret",
    args: { ...repo, keyId: "568250167242549743" },
    expect: { property: "keyId", rule: "goes only with encryptedValue" },
  },
  // Visibility combinations
  {
    name: "visibility public",
    kind: "OrgSecret",
    args: { ...org, visibility: "public" },
    expect: {
      property: "visibility",
      rule: 'one of "all", "private", "selected"',
    },
  },
  {
    name: "repositories with visibility all",
    kind: "OrgSecret",
    args: { ...org, visibility: "all", selectedRepositoryIds: [101] },
    expect: {
      property: "selectedRepositoryIds",
      rule: 'only with visibility "selected"',
    },
  },
  {
    name: "repositories with visibility private",
    kind: "OrgSecret",
    args: { ...org, visibility: "private", selectedRepositoryIds: [101] },
    expect: {
      property: "selectedRepositoryIds",
      rule: 'only with visibility "selected"',
    },
  },
  {
    name: "repository id zero",
    kind: "OrgSecret",
    args: { ...org, selectedRepositoryIds: [0] },
    expect: {
      property: "selectedRepositoryIds",
      rule: "positive whole numbers",
    },
  },
  {
    name: "fractional repository id",
    kind: "OrgSecret",
    args: { ...org, selectedRepositoryIds: [101.5] },
    expect: {
      property: "selectedRepositoryIds",
      rule: "positive whole numbers",
    },
  },
  {
    name: "visibility on a repository secret",
    kind: "RepoSecret",
    args: { ...repo, visibility: "all" },
    expect: { property: "visibility", rule: "has no argument" },
  },
  {
    name: "repository id of another organization",
    kind: "OrgSecret",
    args: { ...org, selectedRepositoryIds: [301] },
    expect: {
      error:
        /^OrgSecret TOKEN in organization acme: writing the secret failed: GitHub answered 422: .*not a repository of acme/,
    },
  },
  // Missing or unknown scope
  {
    name: "missing repository",
    kind: "RepoSecret",
    args: { ...repo, repository: undefined },
    expect: { property: "repository", rule: "is required" },
  },
  {
    name: "owner/name in repository",
    kind: "RepoSecret",
    args: { ...repo, repository: "acme/api" },
    expect: { property: "repository", rule: "bare repository name" },
  },
  {
    name: "missing environment",
    kind: "EnvironmentSecret",
    args: { ...repo },
    expect: { property: "environment", rule: "is required" },
  },
  {
    name: "missing owner without github:owner",
    kind: "RepoSecret",
    args: repo,
    config: { "github:owner": "" },
    expect: { property: "owner", rule: "`github:owner` or the GITHUB_OWNER" },
  },
  {
    name: "missing org without github:owner",
    kind: "OrgSecret",
    args: { ...org, org: undefined },
    config: { "github:owner": "" },
    expect: { property: "org", rule: "`github:owner` or the GITHUB_OWNER" },
  },
  {
    name: "unknown repository",
    kind: "RepoSecret",
    args: { ...repo, repository: "no-such-repo" },
    expect: {
      error:
        /^RepoSecret TOKEN in repository acme\/no-such-repo: fetching the public key failed: GitHub answered 404: Not Found/,
    },
  },
  {
    name: "unknown environment",
    kind: "EnvironmentSecret",
    args: { ...repo, environment: "staging" },
    expect: {
      error:
        /^EnvironmentSecret TOKEN in environment "staging" of repository acme\/api: .*GitHub answered 404/,
    },
  },
  {
    name: "unknown organization",
    kind: "OrgSecret",
    args: { ...org, org: "no-such-org" },
    expect: {
      error:
        /^OrgSecret TOKEN in organization no-such-org: .*GitHub answered 404/,
    },
  },
  // Credentials
  {
    name: "no token",
    kind: "RepoSecret",
    args: repo,
    config: { "github:token": "" },
    expect: {
      property: "github:token",
      rule: "set stack config `github:token` or the GITHUB_TOKEN environment variable",
    },
  },
  {
    name: "revoked token",
    kind: "RepoSecret",
    args: repo,
    config: { "github:token": "ghp_revokedRevokedRevoked000000000000" },
    expect: {
      error:
        /GitHub answered 401: Bad credentials \(the token is missing, expired or revoked/,
    },
  },
  {
    name: "token without write permission",
    kind: "CodespacesSecret",
    args: repo,
    config: { "github:token": DEFAULT_READONLY_TOKEN },
    expect: {
      error:
        /^CodespacesSecret TOKEN in repository acme\/api: writing the secret failed: GitHub answered 403/,
    },
  },
  {
    name: "base URL without a scheme",
    kind: "RepoSecret",
    args: repo,
    config: { "github:baseUrl": "github.example.com/api/v3" },
    expect: { property: "github:baseUrl", rule: "absolute http(s) URL" },
  },
  {
    name: "retries out of range",
    kind: "RepoSecret",
    args: repo,
    config: { "github:maxRetries": "-1" },
    expect: {
      property: "github:maxRetries",
      rule: "whole number from 0 to 20",
    },
  },
];

let emulator: Emulator;
const hosts = new Map<string, ProviderHost>();

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  for (const host of hosts.values()) {
    await host.close();
  }
  await emulator?.close();
});

/** One host per distinct configuration, shared by the cases that use it. */
async function hostFor(
  overrides: Record<string, string> = {},
): Promise<ProviderHost> {
  const key = JSON.stringify(overrides);
  let host = hosts.get(key);
  if (!host) {
    host = await hostAgainst(emulator, "bad-input", overrides);
    hosts.set(key, host);
  }
  return host;
}

test(`the table holds at least 30 cases (${cases.length})`, () => {
  expect(cases.length).toBeGreaterThanOrEqual(30);
});

describe.each(cases)("$name", ({ kind, args, expect: expected, config }) => {
  test("one clear line, no write reaches GitHub, no value echoed", async () => {
    const host = await hostFor(config);
    const urn = `urn:pulumi:test::bad-input::pulumi-nodejs:dynamic/github-secrets:${kind}::case`;
    emulator.resetLog();
    const checked = await host.check(
      urn,
      {},
      { __provider: await serializedProvider(kind), ...args },
    );
    let message: string;
    if ("property" in expected) {
      expect(checked.failures).toContainEqual({
        property: expected.property,
        reason: expect.stringContaining(expected.rule),
      });
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
      expect(message).toMatch(expected.error);
      expect(message.split("\n")).toHaveLength(1);
      const writes = emulator
        .requestLog()
        .filter((r) => r.method !== "GET" && r.status < 300);
      expect(writes).toEqual([]);
    }
    expect(leaksIn(message, [value, sealedElsewhere])).toEqual([]);
  });
});

test("no host printed a value or a token", () => {
  const output = [...hosts.values()].map((host) => host.output()).join("\n");
  expect(
    leaksIn(output, [
      value,
      emulator.token,
      DEFAULT_READONLY_TOKEN,
      "ghp_revokedRevokedRevoked000000000000",
    ]),
  ).toEqual([]);
});
