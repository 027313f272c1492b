// A TypeScript program on the provider plugin (`pulumi-github-secrets/native`, the SDK generated
// from the schema), through the real Pulumi CLI: every kind through the default provider; two
// explicit providers, one per organization on github.com and one on an Enterprise Server under
// /api/v3; a secret adopted with the `import` option; a property-level
// `preview --diff`; no-op previews sending no request; destroy leaving nothing. The emulators
// decrypt every value; the CLI's output, `pulumi stack export` and the backend's files are
// scanned for values and tokens.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  deploy,
  removeWorkspace,
  setConfig,
  withPreview,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { kindCases } from "../support/kinds";
import {
  expectNoLeaks,
  nativePlugin,
  programWorkspace,
  succeeded,
} from "../support/pulumi";
import { putOutsidePulumi } from "./outside";

jest.setTimeout(300_000);

const tokens = {
  globex: "ghp_native_globex_token_00000000000001",
  ghes: "ghp_native_ghes_token_0000000000000002",
};

let github: Emulator;
let ghes: Emulator;
let workspace: Workspace;
const seen: string[] = [...Object.values(tokens)];

const program = `
import * as pulumi from "@pulumi/pulumi";
import * as secrets from "pulumi-github-secrets/native";
const config = new pulumi.Config("native");
const revision = config.get("revision") ?? "1";
const value = (name: string) => pulumi.secret(\`native-\${name}-\${revision === "1" || name !== "RepoSecret" ? "1" : revision}\`);
const cases: { kind: string; args: Record<string, unknown> }[] = JSON.parse(config.require("cases"));
const classes = secrets as unknown as Record<string, new (n: string, a: object, o?: pulumi.CustomResourceOptions) => pulumi.CustomResource>;
for (const c of cases)
  new classes[c.kind](\`every-\${c.kind}\`, { ...c.args, secretName: "EVERY_KIND", value: value(c.kind) });

// Explicit providers: another organization on the same host, and an Enterprise Server.
// An explicit provider takes nothing of the stack's github-secrets:* config: it is given all it needs.
const globex = new secrets.Provider("globex", { token: config.requireSecret("globexToken"), baseUrl: config.require("githubUrl"), owner: "globex" });
const ghes = new secrets.Provider("ghes", { token: config.requireSecret("ghesToken"), baseUrl: config.require("ghesUrl"), owner: "acme" });
new secrets.RepoSecret("globex-deploy", { repository: "billing", secretName: "DEPLOY", value: value("globex") }, { provider: globex });
new secrets.RepoSecret("ghes-deploy", { repository: "api", secretName: "DEPLOY", value: value("ghes") }, { provider: ghes });
new secrets.OrgSecret("ghes-org", { secretName: "ORG_WIDE", value: value("ghes-org"), visibility: "all" }, { provider: ghes });

// replaceOnChanges on a property the plugin's diff names: a new value replaces the resource.
new secrets.RepoSecret("rotating", { repository: "infra", secretName: "ROTATING", value: pulumi.secret(\`native-rotating-\${revision}\`) }, { replaceOnChanges: ["value"] });

// A secret that existed before the program: adopted, then written once with the declared value.
new secrets.RepoSecret("adopted", { repository: "web", secretName: "ADOPTED", value: value("adopted") }, { import: "repos/acme/web/actions/secrets/ADOPTED" });
`;

beforeAll(async () => {
  [github, ghes] = await Promise.all([
    startEmulator(),
    startEmulator({ pathPrefix: "/api/v3" }),
  ]);
  github.addToken({ token: tokens.globex, login: "globex-bot" });
  ghes.addToken({ token: tokens.ghes, login: "octocat" });
  seen.push(github.token);
  await putOutsidePulumi(github, "repos/acme/web/actions/secrets", "ADOPTED");
  workspace = await programWorkspace({
    name: "native",
    source: program,
    project: nativePlugin,
    config: {
      "github-secrets:baseUrl": github.url,
      "github-secrets:owner": "acme",
      "native:ghesUrl": ghes.url,
      "native:githubUrl": github.url,
      "native:cases": JSON.stringify(
        kindCases.map(({ kind, args }) => ({ kind, args })),
      ),
    },
    secrets: {
      "github-secrets:token": github.token,
      "native:globexToken": tokens.globex,
      "native:ghesToken": tokens.ghes,
    },
    env: {
      GITHUB_TOKEN: undefined,
      GITHUB_OWNER: undefined,
      GITHUB_BASE_URL: undefined,
    },
  });
});
afterAll(async () => {
  await Promise.all([github?.close(), ghes?.close()]);
  if (workspace) removeWorkspace(workspace);
});

/** Everything the CLI printed and stored holds no value and no token. */
async function noLeaks(output: string): Promise<void> {
  const values = [
    ...kindCases.map((c) => `native-${c.kind}-`),
    "native-globex-",
    "native-ghes-",
    "native-adopted-",
    "native-rotating-",
  ];
  await expectNoLeaks(workspace, output, [...seen, ...values]);
}

const requests = () => github.requestLog().length + ghes.requestLog().length;
const resetLogs = () => {
  github.resetLog();
  ghes.resetLog();
};

test("up: every kind, two explicit providers and an adopted secret, each value decrypted where it belongs", async () => {
  const result = succeeded(await withPreview(workspace, "up"));
  for (const c of kindCases)
    expect(github.getSecret(c.family, c.scope, "EVERY_KIND")?.value).toBe(
      `native-${c.kind}-1`,
    );
  expect(
    github.getSecret("actions-repo", "globex/billing", "DEPLOY")?.value,
  ).toBe("native-globex-1");
  expect(ghes.getSecret("actions-repo", "acme/api", "DEPLOY")?.value).toBe(
    "native-ghes-1",
  );
  expect(ghes.getSecret("actions-org", "acme", "ORG_WIDE")?.value).toBe(
    "native-ghes-org-1",
  );
  // Imported, then written once with the declared value: GitHub never reveals the one it had.
  expect(github.getSecret("actions-repo", "acme/web", "ADOPTED")?.value).toBe(
    "native-adopted-1",
  );
  expect(result.output).toMatch(
    /imported RepoSecret ADOPTED in repository acme\/web: GitHub never reveals a value, so the value the program declares is written once/,
  );
  // Nothing of the Enterprise Server's reached github.com.
  expect(
    github.getSecret("actions-repo", "acme/api", "DEPLOY"),
  ).toBeUndefined();
  await noLeaks(result.output);
});

test("a no-op preview and up send no request (the adopted secret included)", async () => {
  resetLogs();
  succeeded(await deploy(workspace, "preview", { expectNoChanges: true }));
  succeeded(await withPreview(workspace, "up"));
  expect(requests()).toBe(0);
});

test("preview --diff names the changed property, never its value; replaceOnChanges on it replaces; one PUT each", async () => {
  await setConfig(workspace, { "native:revision": "2" });
  resetLogs();
  const preview = succeeded(await deploy(workspace, "preview", { diff: true }));
  expect(preview.output).toMatch(
    /~ github-secrets:index:RepoSecret: \(update\)[\s\S]*~ value: \[secret\] => \[secret\]/,
  );
  expect(preview.output).toMatch(
    /\+-github-secrets:index:RepoSecret: \(replace\)[\s\S]*urn:pulumi:dev::native::github-secrets:index:RepoSecret::rotating[\s\S]*~ value: \[secret\] => \[secret\]/,
  );
  expect(requests()).toBe(0);
  resetLogs();
  const up = succeeded(await withPreview(workspace, "up"));
  expect(
    github
      .requestLog()
      .filter((entry) => entry.method === "PUT")
      .map((entry) => entry.path)
      .sort(),
  ).toEqual([
    "/repos/acme/api/actions/secrets/EVERY_KIND",
    "/repos/acme/infra/actions/secrets/ROTATING",
  ]);
  expect(
    github.getSecret("actions-repo", "acme/api", "EVERY_KIND")?.value,
  ).toBe("native-RepoSecret-2");
  // Replaced onto the same secret: created first, and the old resource's delete keeps it.
  expect(
    up
      .update!.steps.filter((step) => step.name === "rotating")
      .map((s) => s.op),
  ).toEqual(expect.arrayContaining(["create-replacement", "delete-replaced"]));
  expect(
    github.getSecret("actions-repo", "acme/infra", "ROTATING")?.value,
  ).toBe("native-rotating-2");
  await noLeaks(preview.output + up.output);
});

test("destroy leaves nothing on either host", async () => {
  const result = succeeded(await withPreview(workspace, "destroy"));
  for (const c of kindCases)
    expect(github.getSecret(c.family, c.scope, "EVERY_KIND")).toBeUndefined();
  for (const [emulator, family, scope, name] of [
    [github, "actions-repo", "globex/billing", "DEPLOY"],
    [github, "actions-repo", "acme/web", "ADOPTED"],
    [github, "actions-repo", "acme/infra", "ROTATING"],
    [ghes, "actions-repo", "acme/api", "DEPLOY"],
    [ghes, "actions-org", "acme", "ORG_WIDE"],
  ] as const)
    expect(emulator.getSecret(family, scope, name)).toBeUndefined();
  await noLeaks(result.output);
});
