// Nothing lost where the real engine deletes: driven through Pulumi's dynamic-provider host the
// way the engine drives it. One provider process is one deployment: what a create or update of
// that process wrote is never deleted by it; a DELETE GitHub redirects (renamed repository) is
// not followed onto a secret this deployment wrote; 401/403 in read or delete say that refresh
// and destroy use the credentials saved at the last up.
import {
  startEmulator,
  type Emulator,
  type FamilyId,
} from "../../tools/github-emulator";
import { ProviderError, type ProviderHost } from "../../tools/provider-host";
import { hostAgainst } from "../support/host";
import { leaksIn } from "../support/leaks";
import { serializedProvider } from "../support/serialized-provider";

const value = "nothing-lost-value-\u2713";
const urn = (kind: string, name = "it") =>
  `urn:pulumi:test::lost::pulumi-nodejs:dynamic/github-secrets:${kind}::${name}`;

let emulator: Emulator;
const hosts: ProviderHost[] = [];
/** A new provider process: a new deployment. */
async function deployment(config: Record<string, string> = {}) {
  const host = await hostAgainst(emulator, "lost", config);
  hosts.push(host);
  return host;
}

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emulator.close();
});

/** The host's stdout arrives through a pipe, a moment after the call that printed returns. */
async function printed(host: ProviderHost, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 50 && !pattern.test(host.output()); i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  expect(host.output()).toMatch(pattern);
}

async function create(
  host: ProviderHost,
  kind: string,
  args: Record<string, unknown>,
  name = "it",
) {
  const __provider = await serializedProvider(kind);
  const checked = await host.check(
    urn(kind, name),
    {},
    { __provider, ...args },
  );
  expect(checked.failures).toEqual([]);
  return host.create(urn(kind, name), checked.inputs);
}

describe.each<[string, FamilyId, string, Record<string, unknown>]>([
  ["RepoSecret", "actions-repo", "acme/api", { repository: "api" }],
  [
    "EnvironmentSecret",
    "actions-environment",
    "acme/api/prod",
    { repository: "api", environment: "prod" },
  ],
  ["OrgSecret", "actions-org", "acme", { visibility: "all" }],
])("%s replaced onto the same secret", (kind, family, scope, args) => {
  test("the old resource's delete, later in the same deployment, keeps what the replacement wrote", async () => {
    const first = await deployment();
    const secretName = `${kind}_REPLACED`;
    const old = await create(first, kind, {
      ...args,
      secretName,
      value: "old",
    });

    // `pulumi up --replace`: a new deployment creates the replacement, then deletes the old.
    const up = await deployment();
    await create(up, kind, { ...args, secretName, value });
    await up.delete(old.id, urn(kind), old.outputs);
    expect(emulator.getSecret(family, scope, secretName)?.value).toBe(value);
    await printed(up, /kept .*: a create or update of this run wrote it/);

    // A destroy (a deployment that writes nothing) deletes it.
    await (await deployment()).delete(old.id, urn(kind), old.outputs);
    expect(emulator.getSecret(family, scope, secretName)).toBeUndefined();
  });
});

test("selection resources replaced onto the same repository keep it; the list keeps what this run added", async () => {
  const first = await deployment();
  await create(first, "OrgSecret", {
    secretName: "SELECTED",
    value,
    visibility: "selected",
  });
  const member = await create(first, "OrgSecretRepository", {
    secretName: "SELECTED",
    repository: "api",
  });
  const list = await create(first, "OrgSecretRepositories", {
    secretName: "SELECTED",
    selectedRepositoryIds: [102],
  });
  const ids = () =>
    emulator
      .getSecret("actions-org", "acme", "SELECTED")
      ?.selectedRepositoryIds?.sort();
  expect(ids()).toEqual([102]);

  const up = await deployment();
  await create(up, "OrgSecretRepository", {
    secretName: "SELECTED",
    repository: "api",
  });
  await up.delete(member.id, urn("OrgSecretRepository"), member.outputs);
  expect(ids()).toEqual([101, 102]);
  // The list resource leaves the program; the member added by this run stays.
  await up.delete(list.id, urn("OrgSecretRepositories"), list.outputs);
  expect(ids()).toEqual([101]);
  await printed(up, /kept repository 101/);
});

describe("a repository renamed beside its secrets", () => {
  test.each<[string, FamilyId, Record<string, unknown>, string]>([
    ["RepoSecret", "actions-repo", {}, ""],
    [
      "EnvironmentSecret",
      "actions-environment",
      { environment: "prod" },
      "/prod",
    ],
  ])(
    "%s: replaced into the new name, the redirected delete of the old name is not followed",
    async (kind, family, extra, envPath) => {
      const repo = `moving-${kind.toLowerCase()}`;
      emulator.addRepository("acme", { name: repo, environments: ["prod"] });
      const first = await deployment();
      const old = await create(first, kind, {
        ...extra,
        repository: repo,
        secretName: "MOVED",
        value: "before",
      });
      emulator.renameRepository("acme", repo, `${repo}-2`);

      const up = await deployment();
      await create(up, kind, {
        ...extra,
        repository: `${repo}-2`,
        secretName: "MOVED",
        value,
      });
      emulator.resetLog();
      await up.delete(old.id, urn(kind), old.outputs);
      const scope = `acme/${repo}-2${envPath}`;
      expect(emulator.getSecret(family, scope, "MOVED")?.value).toBe(value);
      const log = emulator.requestLog().map((e) => `${e.method} ${e.status}`);
      expect(log).toEqual(["DELETE 307", "GET 200"]);
      await printed(up, /moved there .* this run wrote the secret there/);
    },
  );

  test("a destroy after the rename deletes the secret at the new location (nothing holds it)", async () => {
    emulator.addRepository("acme", { name: "renamed-then-destroyed" });
    const first = await deployment();
    const old = await create(first, "RepoSecret", {
      repository: "renamed-then-destroyed",
      secretName: "GOES",
      value,
    });
    emulator.renameRepository("acme", "renamed-then-destroyed", "destroyed-2");
    const destroy = await deployment();
    await destroy.delete(old.id, urn("RepoSecret"), old.outputs);
    expect(
      emulator.getSecret("actions-repo", "acme/destroyed-2", "GOES"),
    ).toBeUndefined();
    await printed(destroy, /deleted .* moved there/);
  });

  test("a write to the old name is refused, naming where the repository went", async () => {
    emulator.addRepository("acme", { name: "write-moved" });
    emulator.renameRepository("acme", "write-moved", "write-moved-2");
    const host = await deployment();
    const error = await create(host, "RepoSecret", {
      repository: "write-moved",
      secretName: "NOPE",
      value,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).details).toMatch(
      /^RepoSecret NOPE in repository acme\/write-moved: writing the secret failed: GitHub answered 307: the repository moved \(renamed or transferred\) \(it is now repository acme\/write-moved-2: name it there in the program; nothing was written\)$/,
    );
    expect(
      emulator.getSecret("actions-repo", "acme/write-moved-2", "NOPE"),
    ).toBeUndefined();
  });
});

test("401 in refresh and destroy says they use the credentials saved at the last up, never the token", async () => {
  const token = "ghp_rotated_token_for_test_0001";
  emulator.addToken({ token, login: "octocat", write: true });
  const up = await deployment({ "github:token": token });
  const created = await create(up, "RepoSecret", {
    repository: "web",
    secretName: "ROTATED",
    value,
  });
  const fresh = emulator.rotateToken(token);

  // refresh and destroy: configured with the saved (old) token.
  const later = await deployment({ "github:token": token });
  const failures: string[] = [];
  for (const call of [
    () => later.read(created.id, urn("RepoSecret"), created.outputs),
    () => later.delete(created.id, urn("RepoSecret"), created.outputs),
  ]) {
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    failures.push((error as ProviderError).details);
  }
  for (const details of failures) {
    expect(details).toMatch(/GitHub answered 401: Bad credentials/);
    expect(details).toContain(
      "use the credentials saved in the stack at the last `pulumi up`",
    );
    expect(details).toContain("run `pulumi up` first");
    expect(details).toContain("--run-program");
    expect(leaksIn(details, [token, fresh])).toEqual([]);
  }
  expect(emulator.getSecret("actions-repo", "acme/web", "ROTATED")?.value).toBe(
    value,
  );
  expect(leaksIn(later.output(), [token, fresh, value])).toEqual([]);
});
