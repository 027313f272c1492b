// The README's "Several accounts and hosts in one program", as a user follows it: its
// `pulumi config set` commands run by the real Pulumi CLI as written (flags, keys and the values
// that are not placeholders; tokens go through standard input), then its program by `pulumi up`
// (a preview, then the update) against two GitHub emulators: github.com's (organizations acme and
// globex) and an Enterprise Server's under /api/v3 (organization platform), whose token comes from
// the environment variable the config names (tokenEnv). GitHub's decrypted values are compared
// with the stack's; output, `pulumi stack export` and backend files are scanned for every token
// and value.
import type { Emulator } from "../../tools/github-emulator";
import { pulumi, withPreview } from "../../tools/pulumi-cli/deployments";
import { expectNoLeaks, succeeded } from "../support/pulumi";
import { blockById } from "./blocks";
import { typescriptSource } from "./preludes";
import { emulatorFor, noGitHubEnvironment, packedWorkspace } from "./run";
import { commandsOf } from "./shell";

jest.setTimeout(300_000);

const tokens = {
  acme: "ghp_readme_acme_token_000000000000001",
  globex: "ghp_readme_globex_token_00000000000002",
  corp: "ghp_readme_corp_token_000000000000003",
};
const values = {
  acmeDeployKey: "readme-acme-deploy-key-value",
  globexNpmToken: "readme-globex-npm-token-value",
  corpRegistry: "readme-corp-registry-password",
};

const githubCom = emulatorFor();
const enterpriseServer = emulatorFor({
  pathPrefix: "/api/v3",
  world: {
    orgs: [{ login: "platform", repositories: [{ name: "ci" }] }],
    tokens: [{ token: tokens.corp, login: "corp-bot", write: true }],
  },
});

test("the README's config commands and program: each account's secret on its own host with the stack's value", async () => {
  const [github, ghes] = [githubCom(), enterpriseServer()];
  github.addToken({ token: tokens.acme, login: "acme-bot" });
  github.addToken({ token: tokens.globex, login: "globex-bot" });
  const workspace = await packedWorkspace({
    name: "readme-accounts",
    source: typescriptSource(blockById("accounts-program")).text,
    // The accounts without a baseUrl of their own (acme, globex) take github:baseUrl: here the
    // emulator standing in for api.github.com.
    config: { "github:baseUrl": github.url },
    secrets: values,
    env: { ...noGitHubEnvironment, CORP_GITHUB_TOKEN: tokens.corp },
  });

  // What stands for the README's placeholders: the tokens, and the Enterprise Server's address.
  const substitutes: Record<string, string> = {
    "github-secrets:accounts.acme.token": tokens.acme,
    "github-secrets:accounts.globex.token": tokens.globex,
    "github-secrets:accounts.corp.baseUrl": ghes.url,
  };
  const commands = commandsOf(blockById("accounts-config").code);
  const keys: string[] = [];
  for (const argv of commands) {
    expect(argv.slice(0, 3)).toEqual(["pulumi", "config", "set"]);
    const flags = argv.slice(3).filter((a) => a.startsWith("-"));
    const [key, value] = argv.slice(3).filter((a) => !a.startsWith("-")) as [
      string,
      string,
    ];
    keys.push(key);
    const given = substitutes[key] ?? value;
    expect({ key, placeholder: given.includes("…") }).toEqual({
      key,
      placeholder: false,
    });
    await pulumi(workspace, ["config", "set", ...flags, key], { input: given });
  }
  expect(keys).toEqual(expect.arrayContaining(Object.keys(substitutes)));

  const up = succeeded(await withPreview(workspace, "up"));
  expect(
    github.getSecret("actions-repo", "acme/api", "DEPLOY_KEY")?.value,
  ).toBe(values.acmeDeployKey);
  expect(github.getSecret("actions-org", "globex", "NPM_TOKEN")).toMatchObject({
    value: values.globexNpmToken,
    visibility: "private",
  });
  expect(
    ghes.getSecret("actions-repo", "platform/ci", "REGISTRY_PASSWORD")?.value,
  ).toBe(values.corpRegistry);
  // Each account's requests carried its own token: acme's and globex's on github.com.
  const logins = (emulator: Emulator) =>
    [
      ...new Set(
        emulator.requestLog().map((e) => `${e.login} ${e.path.split("/")[2]}`),
      ),
    ].sort();
  expect(logins(github)).toEqual(["acme-bot acme", "globex-bot globex"]);
  expect(logins(ghes)).toEqual(["corp-bot platform"]);
  await expectNoLeaks(workspace, up.output, [
    ...Object.values(tokens),
    ...Object.values(values),
  ]);
  expect([...github.schemaViolations(), ...ghes.schemaViolations()]).toEqual(
    [],
  );
});
