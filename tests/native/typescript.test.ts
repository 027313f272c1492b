// A TypeScript program on the provider plugin (`pulumi-github-secrets/native`, the SDK generated
// from the schema), through the real Pulumi CLI: every kind through the default provider; two
// explicit providers, one per organization on github.com and one on an Enterprise Server under
// /api/v3; a secret adopted with the `import` option; values the plugin reads from a variable, a
// file and a dotenv key of the project folder and a command (`valueFrom`), which not even the
// decrypted state holds; a property-level `preview --diff`; no-op previews sending no request
// (one with the engine's debug log, the plugin's lines in it, scanned too); a bad source failing
// preview; destroy leaving nothing. The emulators
// decrypt every value; the CLI's output, `pulumi stack export` and the backend's files are
// scanned for values and tokens.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  deploy,
  exportStack,
  removeWorkspace,
  setConfig,
  withPreview,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { kindCases } from "../support/kinds";
import {
  changeSources,
  noneOnGitHub,
  removeSourceFiles,
  sourcedLeaks,
  sourcedOnGitHub,
  sourcedValues,
  sourcesEnv,
  writeSourceFiles,
} from "../support/value-sources";
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

// Values the plugin reads from their sources (relative to the project folder), never in the state.
new secrets.RepoSecret("vf-env", { repository: "web", secretName: "VF_ENV", valueFrom: { env: "SOURCED_ENV" } });
new secrets.EnvironmentSecret("vf-file", { repository: "api", environment: "prod", secretName: "VF_FILE", valueFrom: { file: "secrets/token.txt" } });
new secrets.OrgSecret("vf-dotenv", { secretName: "VF_DOTENV", valueFrom: { file: ".env", key: "VF_DOTENV" }, selectedRepositories: ["api", "web"] });
new secrets.CodespacesUserSecret("vf-command", {
  secretName: "VF_COMMAND",
  valueFrom: { command: ["node", "-e", "process.stdout.write(process.env.SOURCED_COMMAND + '\\\\n')"] },
  selectedRepositoryIds: [201],
});
if (process.env.NATIVE_VF_BROKEN)
  new secrets.RepoSecret("vf-broken", { repository: "web", secretName: "VF_BROKEN", valueFrom: { file: ".env", key: "NO_SUCH_KEY" } });
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
  writeSourceFiles(workspace.dir, sources);
});
let sources = sourcedValues("native", 1);
/** Not even the decrypted state holds a sourced value, or an unsalted hash of one. */
const noSourcedLeaks = (output: string) =>
  expectNoLeaks(workspace, output, sourcedLeaks("native"), {
    showSecrets: true,
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

test("up: every kind, two explicit providers, an adopted secret and values from sources, each value decrypted where it belongs", async () => {
  const result = succeeded(
    await withPreview(workspace, "up", { env: sourcesEnv(sources) }),
  );
  expect(sourcedOnGitHub(github)).toEqual(sources);
  // The plugin's digest of a sourced value is a secret in the inputs and the outputs alike.
  const state = await exportStack<{
    deployment: {
      resources: {
        urn: string;
        inputs: Record<string, unknown>;
        outputs: Record<string, unknown>;
      }[];
    };
  }>(workspace);
  const vfEnv = state.deployment.resources.find((r) =>
    r.urn.endsWith("::vf-env"),
  )!;
  expect(vfEnv.inputs.valueFrom).toEqual({ env: "SOURCED_ENV", revision: 1 });
  for (const digest of [vfEnv.inputs.__valueDigest, vfEnv.outputs.valueDigest])
    expect(digest).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.any(String),
    });
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
  await noSourcedLeaks(result.output);
});

test("a no-op preview (its debug log, where the plugin's own lines flow, scanned too) and up send no request (the adopted secret included)", async () => {
  resetLogs();
  const preview = succeeded(
    await deploy(workspace, "preview", {
      expectNoChanges: true,
      env: sourcesEnv(sources),
      verboseLogs: true,
    }),
  );
  expect(preview.output).toMatch(
    /Launching plugin 'github-secrets \(resource\)'[\s\S]*Check\(urn:pulumi:dev::native::github-secrets:index:RepoSecret::vf-env\) success/,
  );
  succeeded(await withPreview(workspace, "up", { env: sourcesEnv(sources) }));
  expect(requests()).toBe(0);
  await noSourcedLeaks(preview.output);
});

test("a bad source fails preview naming the resource, valueFrom and the source; nothing written", async () => {
  resetLogs();
  const preview = await deploy(workspace, "preview", {
    env: { ...sourcesEnv(sources), NATIVE_VF_BROKEN: "yes" },
  });
  expect(preview.exitCode).not.toBe(0);
  expect(preview.output).toMatch(
    /github-secrets:index:RepoSecret resource 'vf-broken': property valueFrom value \{[^\n]*\} has a problem: file \.env \(.*\/\.env\) has no key NO_SUCH_KEY\n/,
  );
  expect(requests()).toBe(0);
});

test("preview --diff names the changed property (a new value, a source that holds a new one), never a value; replaceOnChanges on it replaces; one PUT each", async () => {
  await setConfig(workspace, { "native:revision": "2" });
  sources = changeSources(workspace.dir, "native", sources, ["env", "file"]);
  resetLogs();
  const preview = succeeded(
    await deploy(workspace, "preview", {
      diff: true,
      env: sourcesEnv(sources),
    }),
  );
  expect(preview.output).toMatch(
    /~ github-secrets:index:RepoSecret: \(update\)[\s\S]*~ value: \[secret\] => \[secret\]/,
  );
  expect(preview.output).toMatch(
    /\+-github-secrets:index:RepoSecret: \(replace\)[\s\S]*urn:pulumi:dev::native::github-secrets:index:RepoSecret::rotating[\s\S]*~ value: \[secret\] => \[secret\]/,
  );
  expect(preview.output).toMatch(
    /~ github-secrets:index:RepoSecret: \(update\)\n\s+\[id=repos\/acme\/web\/actions\/secrets\/VF_ENV\][\s\S]*?~ valueFrom\s*: \{\n\s+env\s+: "SOURCED_ENV"\n\s+~ revision: 1 => 2\n/,
  );
  expect(requests()).toBe(0);
  resetLogs();
  const up = succeeded(
    await withPreview(workspace, "up", { env: sourcesEnv(sources) }),
  );
  expect(
    github
      .requestLog()
      .filter((entry) => entry.method === "PUT")
      .map((entry) => entry.path)
      .sort(),
  ).toEqual([
    "/repos/acme/api/actions/secrets/EVERY_KIND",
    "/repos/acme/api/environments/prod/secrets/VF_FILE",
    "/repos/acme/infra/actions/secrets/ROTATING",
    "/repos/acme/web/actions/secrets/VF_ENV",
  ]);
  expect(sourcedOnGitHub(github)).toEqual(sources);
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
  await noSourcedLeaks(preview.output + up.output);
});

test("destroy leaves nothing on either host, with every source gone", async () => {
  removeSourceFiles(workspace.dir);
  const result = succeeded(await withPreview(workspace, "destroy"));
  expect(sourcedOnGitHub(github)).toEqual(noneOnGitHub);
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
