// Values that never enter the state (`valueFrom`), through the real Pulumi CLI and a TypeScript
// program on the dynamic provider: a repository, an environment, an organization with selected
// repositories and the user's Codespaces secret, read from an environment variable, a file, a key
// of a dotenv file and a command; a SecretSet whose env file the provider reads; valueVersion; a
// secret moved from `value` to `valueFrom`. The emulator decrypts every value. Neither the value
// nor its unsalted sha256/sha1/md5 is in `pulumi stack export --show-secrets`, a backend file
// (history and backups), the CLI's output or the engine's debug log with the provider's own lines.
// A no-op preview and up send no request; a changed source shows as a changed valueFrom and is
// written once; bad sources fail preview naming the source, nothing written; refresh and destroy
// work with every source gone; relative paths follow Pulumi.yaml's `main` folder.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  createWorkspace,
  deploy,
  exportStack,
  pulumi,
  removeWorkspace,
  setConfig,
  withPreview,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { valueAndHashes } from "../support/leaks";
import { expectNoLeaks, programWorkspace, succeeded } from "../support/pulumi";
import { writesTo } from "../support/value-sources";

jest.setTimeout(300_000);

const program = `
import * as pulumi from "@pulumi/pulumi";
import { CodespacesUserSecret, EnvironmentSecret, OrgSecret, RepoSecret, SecretSet } from "pulumi-github-secrets";
const config = new pulumi.Config();
new RepoSecret("from-env", { repository: "api", secretName: "FROM_ENV", valueFrom: { env: "VF_DEPLOY_KEY" } });
new EnvironmentSecret("from-file", { repository: "api", environment: "prod", secretName: "FROM_FILE", valueFrom: { file: "secrets/deploy.pem" } });
new OrgSecret("from-dotenv", { secretName: "FROM_DOTENV", valueFrom: { file: ".env.prod", key: "NPM_TOKEN" }, selectedRepositories: ["api", "web"] });
new CodespacesUserSecret("from-command", {
  secretName: "FROM_COMMAND",
  valueFrom: { command: ["node", "-e", "process.stdout.write(process.env.VF_COMMAND_SECRET + '\\\\n')"] },
  selectedRepositoryIds: [201],
});
new RepoSecret("versioned", { repository: "web", secretName: "VERSIONED", valueFrom: { env: "VF_VERSIONED" }, valueVersion: config.require("version") });
new RepoSecret("moved", {
  repository: "infra",
  secretName: "MOVED",
  ...(config.get("moved") === "valueFrom" ? { valueFrom: { env: "VF_MOVED" } } : { value: config.requireSecret("movedValue") }),
});
new SecretSet("app", {
  kind: "RepoSecret",
  scope: { repository: "web" },
  envFile: ".env.app",
  envFileValuesFrom: true,
  secrets: { EXTRA: { valueFrom: { env: "VF_EXTRA" } } },
});
// One bad source at a time: the engine stops a preview at the first check that fails.
const broken: Record<string, object> = {
  env: { env: "VF_NEVER_SET" },
  file: { file: "secrets/missing.pem" },
  key: { file: ".env.prod", key: "NO_SUCH_KEY" },
  command: { command: ["node", "-e", "console.log(process.env.VF_COMMAND_SECRET); console.error(process.env.VF_COMMAND_SECRET); process.exit(4)"] },
  hanging: { command: ["node", "-e", "console.log(process.env.VF_COMMAND_SECRET); setInterval(() => {}, 1000)"], timeoutSeconds: 2 },
};
const bad = process.env.VF_BROKEN;
if (bad) new RepoSecret("broken", { repository: "infra", secretName: "BROKEN", valueFrom: broken[bad] as { env: string } });
`;

let github: Emulator;
let workspace: Workspace;

/** What each source holds, by revision; the environment variables the pulumi process gets. */
const values = (revision: number) => ({
  env: `vf-env-value-${revision}-\u2713`,
  file: `vf-file-value-${revision}\n-----END-----\n`,
  dotenv: `vf-dotenv-value-${revision}`,
  command: `vf-command-value-${revision}`,
  versioned: `vf-versioned-value-${revision}`,
  moved: `vf-moved-source-${revision}`,
  appA: `vf-app-a-value-${revision}`,
  extra: `vf-extra-value-${revision}`,
});
const movedPlain = "vf-moved-plain-value-1";
let current = values(1);
/** Every value, and the first line of each alone. */
const everyValue = [
  ...new Set(
    [1, 2, 3].flatMap((revision) =>
      Object.values(values(revision)).flatMap((v) => [v, v.split("\n")[0]!]),
    ),
  ),
];

/** The pulumi process's environment for the current values. */
const sourcesEnv = () => ({
  VF_DEPLOY_KEY: current.env,
  VF_COMMAND_SECRET: current.command,
  VF_VERSIONED: current.versioned,
  VF_MOVED: current.moved,
  VF_EXTRA: current.extra,
});

/** The files of the project folder for the current values (relative paths are read there). */
function writeFiles(): void {
  fs.mkdirSync(path.join(workspace.dir, "secrets"), { recursive: true });
  fs.writeFileSync(
    path.join(workspace.dir, "secrets/deploy.pem"),
    current.file,
  );
  fs.writeFileSync(
    path.join(workspace.dir, ".env.prod"),
    `# the production values\nNPM_TOKEN="${current.dotenv}"\nOTHER=unused\n`,
  );
  fs.writeFileSync(
    path.join(workspace.dir, ".env.app"),
    `APP_A=${current.appA}\n`,
  );
}

/** Every place a value or an unsalted hash of it must not be. */
async function noLeaks(output: string, alsoPlain = true): Promise<void> {
  await expectNoLeaks(
    workspace,
    output,
    [
      github.token,
      ...everyValue.flatMap(valueAndHashes),
      ...(alsoPlain ? valueAndHashes(movedPlain) : []),
    ],
    { showSecrets: true },
  );
}

const writes = () => writesTo(github);

/** The secrets as GitHub decrypted them. */
function onGitHub() {
  return {
    env: github.getSecret("actions-repo", "acme/api", "FROM_ENV")?.value,
    file: github.getSecret("actions-environment", "acme/api/prod", "FROM_FILE")
      ?.value,
    dotenv: github.getSecret("actions-org", "acme", "FROM_DOTENV")?.value,
    command: github.getSecret("codespaces-user", "octocat", "FROM_COMMAND")
      ?.value,
    versioned: github.getSecret("actions-repo", "acme/web", "VERSIONED")?.value,
    moved: github.getSecret("actions-repo", "acme/infra", "MOVED")?.value,
    appA: github.getSecret("actions-repo", "acme/web", "APP_A")?.value,
    extra: github.getSecret("actions-repo", "acme/web", "EXTRA")?.value,
  };
}

interface ExportedResource {
  urn: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
async function stateOf(name: string): Promise<ExportedResource> {
  const state = await exportStack<{
    deployment: { resources?: ExportedResource[] };
  }>(workspace);
  return state.deployment.resources!.find((r) => r.urn.endsWith(`::${name}`))!;
}

beforeAll(async () => {
  github = await startEmulator();
  workspace = await programWorkspace({
    name: "vf",
    source: program,
    config: { "github:owner": "acme", "vf:version": "v1" },
    secrets: { "vf:movedValue": movedPlain },
    env: { GITHUB_TOKEN: github.token, GITHUB_BASE_URL: github.url },
  });
  writeFiles();
});
afterAll(async () => {
  await github?.close();
  if (workspace) removeWorkspace(workspace);
});

test("up writes what each source holds; the state keeps the source and a secret digest, or nothing with valueVersion", async () => {
  const up = succeeded(
    await withPreview(workspace, "up", { env: sourcesEnv() }),
  );
  expect(onGitHub()).toEqual({ ...current, moved: movedPlain });
  expect(
    github.getSecret("actions-org", "acme", "FROM_DOTENV")
      ?.selectedRepositoryIds,
  ).toEqual([101, 102]);
  // The SecretSet's children each name the env file and their key: the program read only names.
  const appA = await stateOf("app-APP_A");
  expect(appA.inputs?.valueFrom).toEqual({
    file: ".env.app",
    key: "APP_A",
    revision: 1,
  });
  expect(appA.inputs?.value).toBeUndefined();
  // Without valueVersion: the digest is a secret (ciphertext in the export) in inputs and outputs.
  const fromEnv = await stateOf("from-env");
  expect(fromEnv.inputs?.valueFrom).toEqual({
    env: "VF_DEPLOY_KEY",
    revision: 1,
  });
  for (const digest of [
    fromEnv.inputs?.__valueDigest,
    fromEnv.outputs?.valueDigest,
  ])
    expect(digest).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.any(String),
    });
  // With valueVersion: nothing derived from the value.
  const versioned = await stateOf("versioned");
  expect(versioned.inputs).not.toHaveProperty("__valueDigest");
  expect(versioned.outputs).not.toHaveProperty("valueDigest");
  expect(versioned.outputs?.valueVersion).toBe("v1");
  await noLeaks(up.output, false);
});

test("a no-op preview (the engine's debug log and the provider's lines included) and up send no request", async () => {
  github.resetLog();
  const preview = succeeded(
    await deploy(workspace, "preview", {
      env: sourcesEnv(),
      expectNoChanges: true,
      verboseLogs: true,
    }),
  );
  // The engine's debug log (-v=9, --logflow): every check, with its inputs as the engine holds
  // them, and whatever the provider process printed, flowing from the plugin it launched.
  expect(preview.output).toMatch(
    /Launching plugin 'pulumi-nodejs \(resource\)'[\s\S]*Check\(urn:pulumi:dev::vf::pulumi-nodejs:dynamic\/github-secrets:RepoSecret::from-env\) success/,
  );
  const up = succeeded(
    await withPreview(workspace, "up", {
      env: sourcesEnv(),
      expectNoChanges: true,
    }),
  );
  expect(github.requestLog()).toEqual([]);
  await noLeaks(preview.output + up.output, false);
});

test("changed sources show as a changed valueFrom, never a value, and are written once; valueVersion alone holds; value → valueFrom", async () => {
  current = { ...values(2), versioned: values(1).versioned };
  const changedVersioned = values(2).versioned;
  writeFiles();
  // The value leaves the stack config too: the dynamic provider's state keeps the whole config.
  await setConfig(workspace, { "vf:moved": "valueFrom" });
  await pulumi(workspace, ["config", "rm", "vf:movedValue"]);
  github.resetLog();
  const up = succeeded(
    await withPreview(workspace, "up", {
      env: { ...sourcesEnv(), VF_VERSIONED: changedVersioned },
      diff: true,
    }),
  );
  // The dynamic provider's preview --diff: the source's revision moves, no value is shown.
  expect(up.preview.output).toMatch(
    /\[id=repos\/acme\/api\/actions\/secrets\/FROM_ENV\][^~]*~ valueFrom : \{\n\s+env {5}: "VF_DEPLOY_KEY"\n\s+~ revision: 1 => 2\n/,
  );
  // From value to valueFrom: the value's removal shown as a secret, the source added.
  expect(up.preview.output).toMatch(
    /secretName: "MOVED"\n\s+- value {5}: \[secret\]\n\s+\+ valueFrom : \{\n\s+\+ env {5}: "VF_MOVED"/,
  );
  expect(up.preview.output).not.toMatch(/VERSIONED[\s\S]*?~ valueFrom/);
  expect(writes()).toEqual(
    [
      "PUT /orgs/acme/actions/secrets/FROM_DOTENV",
      "PUT /repos/acme/api/actions/secrets/FROM_ENV",
      "PUT /repos/acme/api/environments/prod/secrets/FROM_FILE",
      "PUT /repos/acme/infra/actions/secrets/MOVED",
      "PUT /repos/acme/web/actions/secrets/APP_A",
      "PUT /repos/acme/web/actions/secrets/EXTRA",
      "PUT /user/codespaces/secrets/FROM_COMMAND",
    ].sort(),
  );
  // VERSIONED still holds the first value: a changed source alone changes nothing.
  expect(onGitHub()).toEqual(current);
  // The moved secret's plain value is in no later checkpoint (earlier ones keep it, encrypted).
  await noLeaks(up.output);
});

test("a new valueVersion writes the source's value once", async () => {
  current = { ...current, versioned: values(2).versioned };
  await setConfig(workspace, { "vf:version": "v2" });
  github.resetLog();
  const up = succeeded(
    await withPreview(workspace, "up", { env: sourcesEnv(), diff: true }),
  );
  expect(up.preview.output).toMatch(/~ valueVersion: "v1" => "v2"/);
  expect(writes()).toEqual(["PUT /repos/acme/web/actions/secrets/VERSIONED"]);
  expect(onGitHub()).toEqual(current);
  expect((await stateOf("versioned")).outputs?.valueVersion).toBe("v2");
  await noLeaks(up.output);
});

describe.each([
  [
    "env",
    "environment variable VF_NEVER_SET is not set in the environment of the pulumi process",
  ],
  [
    "file",
    "file secrets/missing\\.pem \\(.*/secrets/missing\\.pem\\) does not exist \\(relative paths are read from the folder Pulumi runs the program in\\)",
  ],
  ["key", "file \\.env\\.prod \\(.*\\) has no key NO_SUCH_KEY"],
  [
    "command",
    "command node exited with status 4 \\(its output is not shown\\)",
  ],
  [
    "hanging",
    "command node did not finish within 2 s \\(valueFrom\\.timeoutSeconds\\) and was stopped",
  ],
])("a bad source (%s)", (broken, reason) => {
  test("fails preview naming the resource, valueFrom and the source; nothing written, nothing leaks", async () => {
    github.resetLog();
    const preview = await deploy(workspace, "preview", {
      env: { ...sourcesEnv(), VF_BROKEN: broken },
    });
    expect(preview.exitCode).not.toBe(0);
    expect(preview.output).toMatch(
      new RegExp(
        `RepoSecret resource 'broken': property valueFrom value \\{[^\\n]*\\} has a problem: ${reason}\\n`,
      ),
    );
    expect(writes()).toEqual([]);
    await noLeaks(preview.output);
  });
});

test("refresh and destroy need no source: every variable unset, every file gone", async () => {
  for (const file of ["secrets/deploy.pem", ".env.prod", ".env.app"])
    fs.rmSync(path.join(workspace.dir, file));
  const gone = Object.fromEntries(
    Object.keys(sourcesEnv()).map((name) => [name, undefined]),
  );
  github.resetLog();
  const refresh = succeeded(
    await withPreview(workspace, "refresh", { env: gone }),
  );
  expect(writes()).toEqual([]);
  const destroy = succeeded(
    await withPreview(workspace, "destroy", { env: gone }),
  );
  expect(onGitHub()).toEqual(
    Object.fromEntries(Object.keys(current).map((key) => [key, undefined])),
  );
  expect((await exportStack(workspace)).deployment.resources ?? []).toEqual([]);
  await noLeaks(refresh.output + destroy.output);
});

test("relative paths are read in the folder Pulumi runs the program in: main's folder when Pulumi.yaml names one", async () => {
  const source = fs.mkdtempSync(path.join(os.tmpdir(), "vf-main-"));
  let elsewhere: Workspace | undefined;
  try {
    fs.mkdirSync(path.join(source, "src"));
    fs.writeFileSync(
      path.join(source, "Pulumi.yaml"),
      "name: vf-main\nruntime: nodejs\nmain: src/index.ts\n",
    );
    fs.writeFileSync(
      path.join(source, "Pulumi.dev.yaml"),
      "config:\n  github:owner: acme\n",
    );
    fs.writeFileSync(
      path.join(source, "src/index.ts"),
      `import { RepoSecret } from "pulumi-github-secrets";
new RepoSecret("where", { repository: "infra", secretName: "WHERE", valueFrom: { file: "where.txt" } });
`,
    );
    fs.writeFileSync(path.join(source, "where.txt"), "vf-project-folder");
    fs.writeFileSync(path.join(source, "src/where.txt"), "vf-main-folder");
    elsewhere = createWorkspace({
      project: source,
      stack: "dev",
      passphrase: "e2e-passphrase",
      env: { GITHUB_TOKEN: github.token, GITHUB_BASE_URL: github.url },
    });
    await pulumi(elsewhere, ["stack", "init", "dev"], { stackFlag: false });
    succeeded(await deploy(elsewhere, "up"));
    expect(github.getSecret("actions-repo", "acme/infra", "WHERE")?.value).toBe(
      "vf-main-folder",
    );
  } finally {
    fs.rmSync(source, { recursive: true, force: true });
    if (elsewhere) removeWorkspace(elsewhere);
  }
});

test("the emulator saw no request or response that breaks GitHub's OpenAPI description", () => {
  expect(github.schemaViolations()).toEqual([]);
});
