// Many GitHub accounts in one provider process, through Pulumi's dynamic-provider host: two
// emulators (one served under /api/v3 like an Enterprise Server), three accounts (two
// organizations on the first, one on the second), each with its own token, scheduler and
// caches. Values land on the right host; each token's writes keep to its own budget; a secret
// is identified by host, so two accounts on one host conflict and two hosts do not.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { ProviderError, type ProviderHost } from "../../tools/provider-host";
import { hostAgainst } from "../support/host";
import { kindCases } from "../support/kinds";
import { leaksIn } from "../support/leaks";
import { serializedProvider } from "../support/serialized-provider";

const timeScale = 60;
const tokens = {
  acme: "ghp_accounts_acme_token_00000000001",
  globex: "ghp_accounts_globex_token_0000000002",
  ghes: "ghp_accounts_ghes_token_000000000003",
};
const value = (account: string, i: number | string) =>
  `accounts-value-${account}-${i}-\u2713`;

let github: Emulator;
let ghes: Emulator;
let host: ProviderHost;
const urn = (kind: string, name = "it") =>
  `urn:pulumi:test::accounts::pulumi-nodejs:dynamic/github-secrets:${kind}::${name}`;

beforeAll(async () => {
  const rateLimits = {
    timeScale,
    secondary: true,
    primary: { limit: 1_000_000 },
  };
  [github, ghes] = await Promise.all([
    startEmulator({ rateLimits }),
    startEmulator({ rateLimits, pathPrefix: "/api/v3" }),
  ]);
  github.addToken({ token: tokens.acme, login: "acme-bot" });
  github.addToken({ token: tokens.globex, login: "globex-bot" });
  ghes.addToken({ token: tokens.ghes, login: "octocat" });
  host = await hostAgainst(
    github,
    "accounts",
    {
      "github:token": "",
      "github:owner": "",
      "github-secrets:accounts": JSON.stringify({
        acme: { token: tokens.acme, owner: "acme" },
        globex: { token: tokens.globex, owner: "globex" },
        ghes: { tokenEnv: "GHES_TOKEN", baseUrl: ghes.url, owner: "acme" },
        bare: { owner: "acme" },
      }),
    },
    // GitHub's clock, compressed as the emulators compress it.
    {
      GHES_TOKEN: tokens.ghes,
      PULUMI_GITHUB_SECRETS_TIME_SCALE: String(timeScale),
    },
  );
});
afterAll(async () => {
  await host?.close();
  await Promise.all([github?.close(), ghes?.close()]);
});

async function check(kind: string, args: Record<string, unknown>, name = "it") {
  const __provider = await serializedProvider(kind);
  // The SDK names the resource in __claimant, for the one-resource-per-secret check.
  return host.check(
    urn(kind, name),
    {},
    { __provider, __claimant: name, ...args },
  );
}

async function create(
  kind: string,
  args: Record<string, unknown>,
  name = "it",
) {
  const checked = await check(kind, args, name);
  expect(checked.failures).toEqual([]);
  return host.create(urn(kind, name), checked.inputs);
}

test("every kind through the Enterprise Server account lands there, not on github.com", async () => {
  for (const c of kindCases) {
    const secretName = `ON_GHES_${c.kind.toUpperCase()}`;
    const created = await create(
      c.kind,
      { ...c.args, account: "ghes", secretName, value: value("ghes", c.kind) },
      `ghes-${c.kind}`,
    );
    expect(created.outputs).toMatchObject({
      account: "ghes",
      apiHost: new URL(ghes.url).host,
    });
    expect(ghes.getSecret(c.family, c.scope, secretName)?.value).toBe(
      value("ghes", c.kind),
    );
    expect(github.getSecret(c.family, c.scope, secretName)).toBeUndefined();
  }
});

test("each account writes with its own token and owner", async () => {
  await create(
    "RepoSecret",
    {
      account: "acme",
      repository: "api",
      secretName: "OWNED",
      value: value("acme", 0),
    },
    "acme-owned",
  );
  await create(
    "RepoSecret",
    {
      account: "globex",
      repository: "billing",
      secretName: "OWNED",
      value: value("globex", 0),
    },
    "globex-owned",
  );
  expect(github.getSecret("actions-repo", "acme/api", "OWNED")?.value).toBe(
    value("acme", 0),
  );
  expect(
    github.getSecret("actions-repo", "globex/billing", "OWNED")?.value,
  ).toBe(value("globex", 0));
  const writers = github
    .requestLog()
    .filter((e) => e.method === "PUT" && e.path.endsWith("/OWNED"))
    .map((e) => `${e.path} ${e.login}`);
  expect(writers).toEqual([
    "/repos/acme/api/actions/secrets/OWNED acme-bot",
    "/repos/globex/billing/actions/secrets/OWNED globex-bot",
  ]);
});

test("each account keeps its own pace: no token over its budget, none refused, on either host", async () => {
  github.resetLog();
  ghes.resetLog();
  const perAccount = 200;
  const plan: [string, Record<string, unknown>][] = [
    ["acme", { repository: "infra" }],
    ["globex", { repository: "billing" }],
    ["ghes", { repository: "web" }],
  ];
  const checked = await Promise.all(
    plan.flatMap(([account, scope]) =>
      Array.from({ length: perAccount }, (_, i) =>
        check(
          "RepoSecret",
          {
            ...scope,
            account,
            secretName: `PACED_${i}`,
            value: value(account, i),
          },
          `${account}-paced-${i}`,
        ).then((c) => ({ c, name: `${account}-paced-${i}` })),
      ),
    ),
  );
  await Promise.all(
    checked.map(({ c, name }) =>
      host.create(urn("RepoSecret", name), c.inputs),
    ),
  );
  const minuteMs = 60_000 / timeScale;
  for (const emulator of [github, ghes]) {
    const log = emulator.requestLog();
    expect(log.filter((e) => e.status === 403 || e.status === 429)).toEqual([]);
    const byLogin = new Map<string, number[]>();
    for (const e of log.filter((entry) => entry.method === "PUT"))
      byLogin.set(e.login ?? "", [
        ...(byLogin.get(e.login ?? "") ?? []),
        e.arrivedAt,
      ]);
    for (const times of byLogin.values())
      for (const start of times)
        expect(
          times.filter((t) => t >= start && t < start + minuteMs).length * 5,
        ).toBeLessThanOrEqual(900);
  }
  expect(
    ghes
      .listSecrets("actions-repo", "acme/web")
      .filter((s) => s.name.startsWith("PACED_")),
  ).toHaveLength(perAccount);
  expect(
    github.listSecrets("actions-repo", "globex/billing").length,
  ).toBeGreaterThanOrEqual(perAccount);
});

test("two accounts on one host aimed at one secret conflict; on two hosts they do not", async () => {
  await create(
    "RepoSecret",
    {
      account: "acme",
      repository: "web",
      secretName: "SHARED",
      value: value("acme", "s"),
    },
    "first-owner",
  );
  const clash = await check(
    "RepoSecret",
    {
      owner: "acme",
      account: "globex",
      repository: "web",
      secretName: "shared",
      value: "v",
    },
    "second-owner",
  );
  expect(clash.failures).toEqual([
    {
      property: "secretName",
      reason:
        'RepoSecret SHARED in repository acme/web is also declared by resource "first-owner"; two resources would overwrite each other (names compare without regard to case)',
    },
  ]);
  const elsewhere = await check(
    "RepoSecret",
    { account: "ghes", repository: "web", secretName: "SHARED", value: "v" },
    "third-owner",
  );
  expect(elsewhere.failures).toEqual([]);
});

test("an unknown account and an account without credentials fail check, before any request", async () => {
  github.resetLog();
  const unknown = await check("RepoSecret", {
    account: "nope",
    repository: "api",
    secretName: "T",
    value: "v",
  });
  expect(unknown.failures).toEqual([
    {
      property: "account",
      reason:
        'account "nope" is not in stack config `github-secrets:accounts` (known: acme, bare, ghes, globex)',
    },
  ]);
  const bare = await check("RepoSecret", {
    account: "bare",
    repository: "api",
    secretName: "T",
    value: "v",
  });
  expect(bare.failures).toEqual([
    {
      property: "account",
      reason: expect.stringMatching(
        /^no GitHub credentials for account "bare": set its token/,
      ),
    },
  ]);
  expect(github.requestLog()).toEqual([]);
});

test("an account whose tokenEnv is unset: the first check of a fresh process names the variable", async () => {
  const fresh = await hostAgainst(github, "accounts-fresh", {
    "github:token": "",
    "github-secrets:accounts": JSON.stringify({
      ci: { tokenEnv: "ACCOUNTS_TEST_UNSET_TOKEN", owner: "acme" },
    }),
  });
  try {
    const checked = await fresh.check(
      urn("RepoSecret", "ci"),
      {},
      {
        __provider: await serializedProvider("RepoSecret"),
        __claimant: "ci",
        account: "ci",
        repository: "api",
        secretName: "T",
        value: "v",
      },
    );
    expect(checked.failures).toEqual([
      {
        property: "account",
        reason: expect.stringMatching(
          /^no GitHub credentials for account "ci" \(its tokenEnv, ACCOUNTS_TEST_UNSET_TOKEN, is not set in the environment\): set its token/,
        ),
      },
    ]);
  } finally {
    await fresh.close();
  }
});

test("another account on the same host: an update that writes nothing; another host: a replacement", async () => {
  const created = await create(
    "RepoSecret",
    {
      account: "acme",
      repository: "api",
      secretName: "MOVES",
      value: value("acme", "m"),
    },
    "moves",
  );
  const sameHost = await check(
    "RepoSecret",
    {
      owner: "acme",
      account: "globex",
      repository: "api",
      secretName: "MOVES",
      value: value("acme", "m"),
    },
    "moves",
  );
  const diff = await host.diff(
    created.id,
    urn("RepoSecret", "moves"),
    created.outputs,
    sameHost.inputs,
  );
  expect(diff).toEqual({
    changes: true,
    replaces: [],
    deleteBeforeReplace: false,
  });
  github.resetLog();
  const updated = await host.update(
    created.id,
    urn("RepoSecret", "moves"),
    created.outputs,
    sameHost.inputs,
  );
  expect(github.requestLog()).toEqual([]);
  expect(updated.outputs.account).toBe("globex");
  const otherHost = await check(
    "RepoSecret",
    {
      account: "ghes",
      repository: "api",
      secretName: "MOVES",
      value: value("acme", "m"),
    },
    "moves",
  );
  expect(
    await host.diff(
      created.id,
      urn("RepoSecret", "moves"),
      updated.outputs,
      otherHost.inputs,
    ),
  ).toEqual({
    changes: true,
    replaces: ["account"],
    deleteBeforeReplace: false,
  });
});

test("an account moved to another host: replaced there, and the old resource's delete touches neither host", async () => {
  const accountsOn = (emulator: Emulator, token: string) => ({
    "github:token": "",
    "github-secrets:accounts": JSON.stringify({
      mover: { token, baseUrl: emulator.url, owner: "acme" },
    }),
  });
  const before = await hostAgainst(
    github,
    "accounts",
    accountsOn(github, tokens.acme),
  );
  const after = await hostAgainst(
    github,
    "accounts",
    accountsOn(ghes, tokens.ghes),
  );
  try {
    const args = {
      __provider: await serializedProvider("RepoSecret"),
      __claimant: "mover",
      account: "mover",
      repository: "infra",
      secretName: "MOVED_HOST",
      value: value("mover", 1),
    };
    const first = await before.check(urn("RepoSecret", "mover"), {}, args);
    const old = await before.create(urn("RepoSecret", "mover"), first.inputs);
    const checked = await after.check(urn("RepoSecret", "mover"), {}, args);
    expect(
      await after.diff(
        old.id,
        urn("RepoSecret", "mover"),
        old.outputs,
        checked.inputs,
      ),
    ).toEqual({
      changes: true,
      replaces: ["account"],
      deleteBeforeReplace: false,
    });
    await after.create(urn("RepoSecret", "mover"), checked.inputs);
    await after.delete(old.id, urn("RepoSecret", "mover"), old.outputs);
    expect(
      ghes.getSecret("actions-repo", "acme/infra", "MOVED_HOST")?.value,
    ).toBe(value("mover", 1));
    // Left where it was: the account no longer reaches that host, and says so.
    expect(
      github.getSecret("actions-repo", "acme/infra", "MOVED_HOST"),
    ).toBeDefined();
    for (
      let i = 0;
      i < 50 && !/not deleted: RepoSecret MOVED_HOST/.test(after.output());
      i++
    )
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(after.output()).toMatch(
      new RegExp(
        `not deleted: RepoSecret MOVED_HOST in repository acme/infra was written to ${new URL(github.url).host}`,
      ),
    );
  } finally {
    await Promise.all([before.close(), after.close()]);
  }
});

test("a 401 of an account names the account's token, not github:token", async () => {
  const rotated = "ghp_accounts_globex_rotated_00000004";
  github.addToken({ token: rotated, login: "globex-bot" });
  const fresh = github.rotateToken(tokens.globex);
  const error = await create(
    "RepoSecret",
    {
      account: "globex",
      repository: "billing",
      secretName: "AFTER_ROTATION",
      value: "v",
    },
    "after-rotation",
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).details).toMatch(
    /GitHub answered 401: Bad credentials \(the token of account "globex" is missing, expired or revoked: check its token in stack config `github-secrets:accounts`\)$/,
  );
  // The other accounts are not affected.
  await create(
    "RepoSecret",
    {
      account: "acme",
      repository: "api",
      secretName: "STILL_WORKS",
      value: "v",
    },
    "still-works",
  );
  expect(
    github.getSecret("actions-repo", "acme/api", "STILL_WORKS"),
  ).toBeDefined();
  expect(
    leaksIn((error as ProviderError).details, [tokens.globex, fresh, rotated]),
  ).toEqual([]);
});

test("no token in anything the host printed, and no response broke GitHub's description", () => {
  expect(leaksIn(host.output(), Object.values(tokens))).toEqual([]);
  expect([...github.schemaViolations(), ...ghes.schemaViolations()]).toEqual(
    [],
  );
});
