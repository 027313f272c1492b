// One program, three accounts, two GitHubs, through the real Pulumi CLI as a user runs it (each
// up a preview, then the update): the accounts' tokens are secure leaves of stack config
// `github-secrets:accounts` (set with `pulumi config set --secret --path`), one comes from an
// environment variable (tokenEnv). Every kind's value lands on the right host; a rotated token of
// one account leaves the others working; an unknown account fails preview; no token is in the
// CLI's output, `pulumi stack export` or the backend's files.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  exportStack,
  pulumi,
  removeWorkspace,
  setConfig,
  withPreview,
  type Update,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { kindCases } from "../support/kinds";
import { leaksIn } from "../support/leaks";
import { backendText, programWorkspace, succeeded } from "../support/pulumi";

jest.setTimeout(240_000);

const tokens = {
  acme: "ghp_e2e_acme_token_00000000000000001",
  globex: "ghp_e2e_globex_token_000000000000002",
  ghes: "ghp_e2e_ghes_token_0000000000000003",
};
const seen: string[] = Object.values(tokens);

let github: Emulator;
let ghes: Emulator;
let workspace: Workspace;

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
  workspace = await programWorkspace({
    name: "accounts",
    source: program,
    config: {
      // The default API base, which accounts without their own baseUrl use.
      "github:baseUrl": github.url,
      "accounts:cases": JSON.stringify(
        kindCases.map(({ kind, args }) => ({ kind, args })),
      ),
      "accounts:revision_acme": "1",
      "accounts:revision_globex": "1",
      "accounts:revision_ghes": "1",
      "accounts:extraAccount": "",
    },
    env: {
      GITHUB_TOKEN: undefined,
      GITHUB_OWNER: undefined,
      GITHUB_BASE_URL: undefined,
      GHES_TOKEN: tokens.ghes,
    },
  });
  const set = (key: string, value: string, secret = false) =>
    pulumi(
      workspace,
      [
        "config",
        "set",
        "--path",
        ...(secret ? ["--secret"] : []),
        `github-secrets:accounts.${key}`,
      ],
      { input: value },
    );
  await set("acme.token", tokens.acme, true);
  await set("acme.owner", "acme");
  await set("globex.token", tokens.globex, true);
  await set("globex.owner", "globex");
  await set("ghes.tokenEnv", "GHES_TOKEN");
  await set("ghes.baseUrl", ghes.url);
  await set("ghes.owner", "acme");
});
afterAll(async () => {
  await Promise.all([github?.close(), ghes?.close()]);
  if (workspace) removeWorkspace(workspace);
});

async function engine(
  command: "up" | "refresh" | "destroy",
  config: Record<string, string> = {},
): Promise<Update> {
  await setConfig(
    workspace,
    Object.fromEntries(
      Object.entries(config).map(([key, value]) => [`accounts:${key}`, value]),
    ),
  );
  const result = await withPreview(workspace, command);
  const exported = JSON.stringify(await exportStack(workspace));
  for (const [what, text] of [
    ["pulumi stack export", exported],
    ["backend files", backendText(workspace)],
    ["CLI output", result.output],
  ] as const)
    expect({ what, leaks: leaksIn(text, seen) }).toEqual({ what, leaks: [] });
  return result;
}

const allAt2 = { revision_acme: "2", revision_globex: "2", revision_ghes: "2" };

const ok = succeeded;

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
  expect(refused.exitCode).not.toBe(0);
  expect(refused.output).toMatch(
    /the token of account "acme" is missing, expired or revoked: check its token in stack config `github-secrets:accounts`/,
  );
  await pulumi(
    workspace,
    [
      "config",
      "set",
      "--path",
      "--secret",
      "github-secrets:accounts.acme.token",
    ],
    { input: rotated },
  );
  ok(await engine("up", { ...allAt2 }));
  expect(
    github.getSecret("actions-repo", "acme/api", "EVERY_KIND")?.value,
  ).toBe("e2e-acme-repo-2");
});

test("an unknown account fails the preview naming the known ones; nothing is written", async () => {
  github.resetLog();
  ghes.resetLog();
  const refused = await engine("up", { ...allAt2, extraAccount: "nope" });
  expect(refused.exitCode).not.toBe(0);
  expect(refused.output).toContain(
    'account "nope" is not in stack config `github-secrets:accounts` (known: acme, ghes, globex)',
  );
  // The preview failed, so no update ran.
  expect(refused.update).toBeUndefined();
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
