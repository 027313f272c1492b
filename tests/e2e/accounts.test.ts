// One program, three accounts, two GitHubs, through the local engine as `pulumi up` runs it: the
// accounts' tokens are secure leaves of stack config `github-secrets:accounts` (set with
// `pulumi config set --secret --path`), one comes from an environment variable (tokenEnv).
// Every kind's value lands on the right host; a rotated token of one account leaves the others
// working; an unknown account fails preview; no token is in the state, the engine's output or
// the provider's.
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  configEnvName,
  runEngine,
  type EngineResult,
} from "../../tools/local-engine";
import { configSet } from "../../tools/local-engine/config-set";
import { kindCases } from "../support/kinds";
import { leaksIn } from "../support/leaks";
import { writeProgram } from "../support/program";

jest.setTimeout(180_000);

const passphrase = "accounts-test-passphrase";
const tokens = {
  acme: "ghp_e2e_acme_token_00000000000000001",
  globex: "ghp_e2e_globex_token_000000000000002",
  ghes: "ghp_e2e_ghes_token_0000000000000003",
};
const seen: string[] = Object.values(tokens);

let github: Emulator;
let ghes: Emulator;
let cwd: string;

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as secrets from "pulumi-github-secrets";
const config = new pulumi.Config();
const cases: { kind: string; args: Record<string, unknown> }[] = JSON.parse(config.require("cases"));
const value = (account: string, name: string) => pulumi.secret(\`e2e-\${account}-\${name}-\${(config.get(\`revision_\${account}\`) ?? "1")}\`);
const classes = secrets as unknown as Record<string, new (n: string, a: object) => unknown>;
// Every kind on the Enterprise Server account.
for (const c of cases)
  new classes[c.kind](\`ghes-\${c.kind}\`, { ...c.args, account: "ghes", secretName: "EVERY_KIND", value: value("ghes", c.kind) });
// The same names on github.com, through two organizations' accounts: other hosts, no conflict.
new secrets.RepoSecret("acme-token", { account: "acme", repository: "api", secretName: "EVERY_KIND", value: value("acme", "repo") });
new secrets.OrgSecret("acme-org", { account: "acme", secretName: "ORG_WIDE", value: value("acme", "org"), visibility: "all" });
new secrets.RepoSecret("globex-token", { account: "globex", repository: "billing", secretName: "EVERY_KIND", value: value("globex", "repo") });
new secrets.SecretSet("globex-set", { kind: "RepoSecret", account: "globex", scope: { repository: "billing" }, secrets: { SET_ONE: value("globex", "one") } });
const extra = config.get("extraAccount");
if (extra) new secrets.RepoSecret("extra", { account: extra, repository: "api", secretName: "EXTRA", value: value(extra, "x") });
`;

beforeAll(async () => {
  [github, ghes] = await Promise.all([
    startEmulator(),
    startEmulator({ pathPrefix: "/api/v3" }),
  ]);
  github.addToken({ token: tokens.acme, login: "acme-bot" });
  github.addToken({ token: tokens.globex, login: "globex-bot" });
  ghes.addToken({ token: tokens.ghes, login: "octocat" });
  cwd = writeProgram("accounts", program, {
    // The default API base, which accounts without their own baseUrl use.
    "github:baseUrl": github.url,
    "accounts:cases": JSON.stringify(
      kindCases.map(({ kind, args }) => ({ kind, args })),
    ),
    "accounts:revision_acme": "1",
    "accounts:revision_globex": "1",
    "accounts:revision_ghes": "1",
    "accounts:extraAccount": "",
  });
  const set = (key: string, value: string, secret = false) =>
    configSet({
      cwd,
      stack: "dev",
      key: `github-secrets:accounts.${key}`,
      value,
      secret,
      path: true,
      passphrase,
    });
  set("acme.token", tokens.acme, true);
  set("acme.owner", "acme");
  set("globex.token", tokens.globex, true);
  set("globex.owner", "globex");
  set("ghes.tokenEnv", "GHES_TOKEN");
  set("ghes.baseUrl", ghes.url);
  set("ghes.owner", "acme");
});
afterAll(async () => {
  await Promise.all([github?.close(), ghes?.close()]);
  fs.rmSync(cwd, { recursive: true, force: true });
});

async function engine(
  command: "up" | "refresh" | "destroy",
  config: Record<string, string> = {},
): Promise<EngineResult> {
  const env: NodeJS.ProcessEnv = {
    GITHUB_TOKEN: undefined,
    GITHUB_OWNER: undefined,
    GITHUB_BASE_URL: undefined,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    GHES_TOKEN: tokens.ghes,
  };
  for (const [key, value] of Object.entries(config))
    env[configEnvName(`accounts:${key}`)] = value;
  const result = await runEngine({ command, cwd, stack: "dev", env });
  const state = fs.readFileSync(
    path.join(cwd, ".pulumi-local", "stacks", "dev.json"),
    "utf8",
  );
  for (const [what, text] of [
    ["state", state],
    ["engine output", result.output],
    ["provider output", result.hostOutput],
  ] as const)
    expect({ what, leaks: leaksIn(text, seen) }).toEqual({ what, leaks: [] });
  return result;
}

const allAt2 = { revision_acme: "2", revision_globex: "2", revision_ghes: "2" };

const ok = (result: EngineResult) => {
  if (result.exitCode !== 0)
    throw new Error(`${result.errors.join("; ")}\n${result.output}`);
  return result;
};

test("every kind's value on the right host, through three accounts", async () => {
  ok(await engine("up"));
  for (const c of kindCases) {
    expect(ghes.getSecret(c.family, c.scope, "EVERY_KIND")?.value).toBe(
      `e2e-ghes-${c.kind}-1`,
    );
  }
  expect(
    github.getSecret("actions-repo", "acme/api", "EVERY_KIND")?.value,
  ).toBe("e2e-acme-repo-1");
  expect(github.getSecret("actions-org", "acme", "ORG_WIDE")?.value).toBe(
    "e2e-acme-org-1",
  );
  expect(
    github.getSecret("actions-repo", "globex/billing", "EVERY_KIND")?.value,
  ).toBe("e2e-globex-repo-1");
  expect(
    github.getSecret("actions-repo", "globex/billing", "SET_ONE")?.value,
  ).toBe("e2e-globex-one-1");
  // Nothing of the Enterprise Server account reached github.com's other repositories.
  expect(
    github.getSecret("actions-repo", "acme/web", "EVERY_KIND"),
  ).toBeUndefined();
});

test("a rotated token of one account leaves the others working; the next up with its new token converges", async () => {
  const rotated = github.rotateToken(tokens.acme);
  seen.push(rotated);
  // The other accounts' values change and land; acme's, unchanged, cost no request.
  ok(await engine("up", { revision_globex: "2", revision_ghes: "2" }));
  expect(
    github.getSecret("actions-repo", "globex/billing", "EVERY_KIND")?.value,
  ).toBe("e2e-globex-repo-2");
  expect(ghes.getSecret("actions-repo", "acme/api", "EVERY_KIND")?.value).toBe(
    "e2e-ghes-RepoSecret-2",
  );
  // acme's own change is refused with the account named, until its token is updated.
  const refused = await engine("up", {
    revision_globex: "2",
    revision_ghes: "2",
    revision_acme: "2",
  });
  expect(refused.exitCode).toBe(1);
  expect(refused.errors.join("\n")).toMatch(
    /the token of account "acme" is missing, expired or revoked: check its token in stack config `github-secrets:accounts`/,
  );
  configSet({
    cwd,
    stack: "dev",
    key: "github-secrets:accounts.acme.token",
    value: rotated,
    secret: true,
    path: true,
    passphrase,
  });
  ok(await engine("up", { ...allAt2 }));
  expect(
    github.getSecret("actions-repo", "acme/api", "EVERY_KIND")?.value,
  ).toBe("e2e-acme-repo-2");
});

test("an unknown account fails the preview naming the known ones; nothing is written", async () => {
  github.resetLog();
  ghes.resetLog();
  const refused = await engine("up", { ...allAt2, extraAccount: "nope" });
  expect(refused.exitCode).toBe(1);
  expect(refused.output).toContain(
    'account: account "nope" is not in stack config `github-secrets:accounts` (known: acme, ghes, globex)',
  );
  expect(refused.previewSteps).toBeUndefined();
  expect(
    [...github.requestLog(), ...ghes.requestLog()].filter(
      (e) => e.method !== "GET",
    ),
  ).toEqual([]);
});

test("destroy, with the credentials saved at the last up, deletes every account's secrets", async () => {
  ok(await engine("destroy", { ...allAt2 }));
  for (const c of kindCases)
    expect(ghes.getSecret(c.family, c.scope, "EVERY_KIND")).toBeUndefined();
  expect(
    github.getSecret("actions-repo", "globex/billing", "EVERY_KIND"),
  ).toBeUndefined();
  expect(github.getSecret("actions-org", "acme", "ORG_WIDE")).toBeUndefined();
  expect([...github.schemaViolations(), ...ghes.schemaViolations()]).toEqual(
    [],
  );
});
