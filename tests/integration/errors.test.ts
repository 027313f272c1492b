// What a user sees when something is wrong: one line naming the secret, the scope, GitHub's
// status and message; never the value, never the token, never a request dump.
import * as net from "node:net";
import {
  DEFAULT_READONLY_TOKEN,
  startEmulator,
  type Emulator,
} from "../../tools/github-emulator";
import { ProviderError, type ProviderHost } from "../../tools/provider-host";
import { hostPool } from "../support/host";
import { leaksIn } from "../support/leaks";
import { serializedProvider } from "../support/serialized-provider";

const value = "error-test-value-never-echoed";
const urn = (kind: string) =>
  `urn:pulumi:test::errors::pulumi-nodejs:dynamic/github-secrets:${kind}::it`;
let emulator: Emulator;
const pool = hostPool(() => emulator, "errors");

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

/** A host configured with exactly `config` (nothing from the environment), shared by the file. */
function hostWith(
  config: Record<string, string>,
  deployment: "up" | "later" = "up",
): Promise<ProviderHost> {
  const none = { "github:token": "", "github:baseUrl": "", "github:owner": "" };
  return pool.hostFor({ ...none, ...config }, deployment);
}

const configured = () => ({
  "github:token": emulator.token,
  "github:baseUrl": emulator.url,
  "github:owner": "acme",
});

async function createError(
  host: ProviderHost,
  kind: string,
  args: Record<string, unknown>,
): Promise<string> {
  const __provider = await serializedProvider(kind);
  const checked = await host.check(
    urn(kind),
    {},
    { __provider, value, ...args },
  );
  expect(checked.failures).toEqual([]);
  try {
    await host.create(urn(kind), checked.inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return (error as ProviderError).details;
  }
  throw new Error("create succeeded where it should have failed");
}

describe("GitHub's refusals become one clear line", () => {
  test.each([
    [
      "unknown repository",
      "RepoSecret",
      { repository: "nope", secretName: "TOKEN" },
      /^RepoSecret TOKEN in repository acme\/nope: fetching the public key failed: GitHub answered 404: Not Found \(GitHub answers 404 both/,
    ],
    [
      "unknown environment",
      "EnvironmentSecret",
      { repository: "api", environment: "staging", secretName: "TOKEN" },
      /^EnvironmentSecret TOKEN in environment "staging" of repository acme\/api: .*GitHub answered 404/,
    ],
    [
      "unknown organization",
      "OrgSecret",
      { org: "no-such-org", secretName: "TOKEN" },
      /^OrgSecret TOKEN in organization no-such-org: .*GitHub answered 404/,
    ],
    [
      "repository id of another organization",
      "OrgSecret",
      { org: "acme", secretName: "TOKEN", selectedRepositoryIds: [301] },
      /^OrgSecret TOKEN in organization acme: writing the secret failed: GitHub answered 422/,
    ],
  ])("%s", async (_case, kind, args, message) => {
    const details = await createError(await hostWith(configured()), kind, args);
    expect(details).toMatch(message);
    expect(details.split("\n")).toHaveLength(1);
    expect(details).not.toContain(value);
  });

  test("a bad token: 401 with the config key to fix", async () => {
    const details = await createError(
      await hostWith({
        ...configured(),
        "github:token": "ghp_revoked000000000000",
      }),
      "RepoSecret",
      {
        repository: "api",
        secretName: "TOKEN",
      },
    );
    expect(details).toMatch(
      /GitHub answered 401: Bad credentials \(the token is missing, expired or revoked: check stack config `github:token`/,
    );
    expect(details).not.toContain("ghp_revoked");
  });

  test("a token without write permission: 403", async () => {
    const details = await createError(
      await hostWith({
        ...configured(),
        "github:token": DEFAULT_READONLY_TOKEN,
      }),
      "RepoSecret",
      {
        repository: "api",
        secretName: "TOKEN",
      },
    );
    expect(details).toMatch(
      /^RepoSecret TOKEN in repository acme\/api: writing the secret failed: GitHub answered 403: /,
    );
  });

  test("GitHub unreachable: the base URL and the cause, no stack", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const details = await createError(
      await hostWith({
        ...configured(),
        "github:baseUrl": `http://127.0.0.1:${closedPort}`,
      }),
      "RepoSecret",
      {
        repository: "api",
        secretName: "TOKEN",
      },
    );
    expect(details).toMatch(
      /^RepoSecret TOKEN in repository acme\/api: fetching the public key failed: could not reach GitHub at http:\/\/127.0.0.1:\d+: \S/,
    );
  });
});

describe("configuration errors fail check, before any request", () => {
  test("no token anywhere: names the config key and the environment variable", async () => {
    const host = await hostWith({ "github:baseUrl": emulator.url });
    emulator.resetLog();
    const checked = await host.check(
      urn("RepoSecret"),
      {},
      {
        __provider: await serializedProvider("RepoSecret"),
        owner: "acme",
        repository: "api",
        secretName: "T",
        value,
      },
    );
    expect(checked.failures).toContainEqual({
      property: "github:token",
      reason: expect.stringContaining(
        "set stack config `github:token` or the GITHUB_TOKEN environment variable",
      ),
    });
    expect(emulator.requestLog()).toHaveLength(0);
  });

  test("no owner anywhere: names the argument, config key and environment variable", async () => {
    const host = await hostWith({
      "github:token": emulator.token,
      "github:baseUrl": emulator.url,
    });
    const checked = await host.check(
      urn("RepoSecret"),
      {},
      {
        __provider: await serializedProvider("RepoSecret"),
        repository: "api",
        secretName: "T",
        value,
      },
    );
    expect(checked.failures).toEqual([
      {
        property: "owner",
        reason:
          "owner (the repository owner) is required: set the owner argument, stack config `github:owner` or the GITHUB_OWNER environment variable",
      },
    ]);
  });

  test("a malformed base URL", async () => {
    const host = await hostWith({
      ...configured(),
      "github:baseUrl": "api.github.com",
    });
    const checked = await host.check(
      urn("RepoSecret"),
      {},
      {
        __provider: await serializedProvider("RepoSecret"),
        repository: "api",
        secretName: "T",
        value,
      },
    );
    expect(checked.failures).toContainEqual({
      property: "github:baseUrl",
      reason: expect.stringContaining("must be an absolute http(s) URL"),
    });
  });
});

describe("safe changes", () => {
  test("renaming a secret creates the new one before deleting the old: never missing", async () => {
    // The first up creates OLD_NAME; the rename is a later up, with its own provider process.
    const first = await hostWith(configured());
    const __provider = await serializedProvider("RepoSecret");
    const old = await first.check(
      urn("RepoSecret"),
      {},
      { __provider, repository: "api", secretName: "OLD_NAME", value },
    );
    const created = await first.create(urn("RepoSecret"), old.inputs);
    const host = await hostWith(configured(), "later");
    const renamed = await host.check(urn("RepoSecret"), old.inputs, {
      __provider,
      repository: "api",
      secretName: "NEW_NAME",
      value,
    });
    const diff = await host.diff(
      created.id,
      urn("RepoSecret"),
      created.outputs,
      renamed.inputs,
    );
    expect(diff).toEqual({
      changes: true,
      replaces: ["secretName"],
      deleteBeforeReplace: false,
    });
    // The engine's order for create-before-delete replacement:
    await host.create(urn("RepoSecret"), renamed.inputs);
    expect(
      emulator.getSecret("actions-repo", "acme/api", "OLD_NAME")?.value,
    ).toBe(value);
    expect(
      emulator.getSecret("actions-repo", "acme/api", "NEW_NAME")?.value,
    ).toBe(value);
    await host.delete(created.id, urn("RepoSecret"), created.outputs);
    expect(
      emulator.getSecret("actions-repo", "acme/api", "OLD_NAME"),
    ).toBeUndefined();
    expect(
      emulator.getSecret("actions-repo", "acme/api", "NEW_NAME")?.value,
    ).toBe(value);
  });

  test("a key rotated since the provider fetched it: sealed again for the new key, once", async () => {
    const host = await hostWith(configured());
    const __provider = await serializedProvider("RepoSecret");
    const first = await host.check(
      urn("RepoSecret"),
      {},
      { __provider, repository: "web", secretName: "FIRST", value },
    );
    await host.create(urn("RepoSecret"), first.inputs);
    const rotated = emulator.rotateKey("actions-repo", "acme/web");
    const second = await host.check(
      urn("RepoSecret"),
      {},
      { __provider, repository: "web", secretName: "SECOND", value },
    );
    const created = await host.create(urn("RepoSecret"), second.inputs);
    expect(created.outputs.keyId).toBe(rotated.keyId);
    expect(
      emulator.getSecret("actions-repo", "acme/web", "SECOND")?.value,
    ).toBe(value);
    const read = await host.read(created.id, urn("RepoSecret"), {
      ...created.outputs,
      keyId: "stale",
    });
    expect(read.outputs.drift).toMatch(/public key was rotated/);
  });

  test("an edit outside Pulumi is found by refresh and written back by the next update", async () => {
    const host = await hostWith(configured());
    const __provider = await serializedProvider("RepoSecret");
    const checked = await host.check(
      urn("RepoSecret"),
      {},
      { __provider, repository: "infra", secretName: "DRIFTY", value },
    );
    const created = await host.create(urn("RepoSecret"), checked.inputs);
    emulator.editSecret("actions-repo", "acme/infra", "DRIFTY", {
      value: "changed-in-the-ui",
      updatedAt: new Date(Date.now() + 60_000),
    });
    const read = await host.read(
      created.id,
      urn("RepoSecret"),
      created.outputs,
    );
    expect(read.outputs.drift).toMatch(/changed outside Pulumi/);
    const diff = await host.diff(
      created.id,
      urn("RepoSecret"),
      read.outputs,
      checked.inputs,
    );
    expect(diff).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const ignored = await host.diff(
      created.id,
      urn("RepoSecret"),
      read.outputs,
      { ...checked.inputs, onDrift: "ignore" },
    );
    expect(ignored.changes).toBe(false);
    const updated = await host.update(
      created.id,
      urn("RepoSecret"),
      read.outputs,
      checked.inputs,
    );
    expect(updated.outputs.drift).toBeUndefined();
    expect(
      emulator.getSecret("actions-repo", "acme/infra", "DRIFTY")?.value,
    ).toBe(value);
  });
});

test("nothing any host printed contains the value or a token", () => {
  const printed = pool.output();
  expect(
    leaksIn(printed, [value, emulator.token, DEFAULT_READONLY_TOKEN]),
  ).toEqual([]);
});
