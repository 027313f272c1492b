// The situations where Pulumi's engine deletes what it should not, each through the real Pulumi
// CLI (every up, refresh and destroy a preview, then the update) with the SDK's classes against
// the emulator: afterwards every secret holds its declared value, as GitHub decrypts it, and the
// messages say what to do. Everything the CLI printed and stored is scanned for values and tokens.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  deploy,
  removeWorkspace,
  setConfig,
  withPreview,
  type Update,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { leaksIn } from "../support/leaks";
import {
  backendText,
  programWorkspace,
  succeeded,
  type ProgramOptions,
} from "../support/pulumi";

jest.setTimeout(240_000);

const token = "nothing-lost-token-value";
const orgValue = "nothing-lost-org-value";

let emulator: Emulator;
const workspaces: Workspace[] = [];
const tokens: string[] = [];
beforeAll(async () => {
  emulator = await startEmulator();
  tokens.push(emulator.token);
});
afterAll(async () => {
  await emulator?.close();
  for (const workspace of workspaces) removeWorkspace(workspace);
});

async function program(
  options: Omit<ProgramOptions, "config"> & { config?: Record<string, string> },
  env: NodeJS.ProcessEnv = { GITHUB_TOKEN: emulator.token },
): Promise<Workspace> {
  const workspace = await programWorkspace({
    ...options,
    config: { "github:owner": "acme", ...options.config },
    env: { GITHUB_BASE_URL: emulator.url, ...env },
  });
  workspaces.push(workspace);
  return workspace;
}

/** Neither the CLI's output nor anything the backend stores holds a value or a token. */
function expectNoLeaks(workspace: Workspace, output: string): void {
  const secrets = [token, orgValue, ...tokens];
  expect(leaksIn(output, secrets)).toEqual([]);
  expect(leaksIn(backendText(workspace), secrets)).toEqual([]);
}

async function up(
  workspace: Workspace,
  options: Parameters<typeof withPreview>[2] = {},
): Promise<Update> {
  const result = await withPreview(workspace, "up", options);
  expectNoLeaks(workspace, result.output);
  return succeeded(result);
}

const changed = (result: Update) =>
  result
    .update!.steps.filter(
      (s) => s.op !== "same" && !s.type.startsWith("pulumi:providers:"),
    )
    .map((s) => `${s.op} ${s.name}`);

test("1. up --replace of a secret and of a selection member keeps both", async () => {
  const workspace = await program({
    name: "replace",
    source: `
import * as pulumi from "@pulumi/pulumi";
import { OrgSecret, OrgSecretRepository, RepoSecret } from "pulumi-github-secrets";
new RepoSecret("token", { repository: "api", secretName: "REPLACED_TOKEN", value: pulumi.secret("${token}") });
const shared = new OrgSecret("shared", { secretName: "REPLACED_SHARED", value: pulumi.secret("${orgValue}"), visibility: "selected" });
new OrgSecretRepository("shared-api", { secretName: shared.secretName, repository: "api" });
`,
  });
  await up(workspace);
  const urn = (type: string, name: string) =>
    `urn:pulumi:dev::replace::pulumi-nodejs:dynamic/github-secrets:${type}::${name}`;
  const replaced = await up(workspace, {
    replace: [
      urn("RepoSecret", "token"),
      urn("OrgSecretRepository", "shared-api"),
    ],
  });
  // The engine's steps for a create-before-delete replacement, in the order it reports them.
  expect(changed(replaced).sort()).toEqual(
    [
      "create-replacement shared-api",
      "create-replacement token",
      "delete-replaced shared-api",
      "delete-replaced token",
      "replace shared-api",
      "replace token",
    ].sort(),
  );
  expect(
    emulator.getSecret("actions-repo", "acme/api", "REPLACED_TOKEN")?.value,
  ).toBe(token);
  expect(
    emulator.getSecret("actions-org", "acme", "REPLACED_SHARED")
      ?.selectedRepositoryIds,
  ).toEqual([101]);
  expect(replaced.output).toMatch(
    /pulumi-github-secrets: kept RepoSecret REPLACED_TOKEN/,
  );
});

test("2. a secret moved under a component without an alias keeps its value", async () => {
  const workspace = await program({
    name: "moved",
    source: `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
const config = new pulumi.Config();
class Team extends pulumi.ComponentResource {
  constructor(name: string) { super("acme:index:Team", name, {}); this.registerOutputs({}); }
}
const parent = config.get("nest") === "yes" ? new Team("platform") : undefined;
new RepoSecret("token", { repository: "web", secretName: "MOVED_TOKEN", value: pulumi.secret("${token}") }, { parent });
`,
    config: { "moved:nest": "no" },
  });
  await up(workspace);
  await setConfig(workspace, { "moved:nest": "yes" });
  const moved = await up(workspace);
  expect(changed(moved)).toEqual([
    "create platform",
    "create token",
    "delete token",
  ]);
  expect(
    emulator.getSecret("actions-repo", "acme/web", "MOVED_TOKEN")?.value,
  ).toBe(token);
});

test("3. a repository renamed on GitHub and in the program keeps its repository and environment secrets", async () => {
  // @pulumi/github's provider plugin cannot be had here (its Go module is refused by the module
  // proxy), so the test renames the repository on GitHub, as that provider's in-place update of
  // a Repository does, and the program then names the new repository.
  emulator.addRepository("acme", { name: "svc-old", environments: ["prod"] });
  const workspace = await program({
    name: "renamed",
    source: `
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentSecret, RepoSecret } from "pulumi-github-secrets";
const config = new pulumi.Config();
const repository = config.require("repoName");
new RepoSecret("token", { repository, secretName: "SVC_TOKEN", value: pulumi.secret("${token}") });
new EnvironmentSecret("env-token", { repository, environment: "prod", secretName: "SVC_ENV_TOKEN", value: pulumi.secret("${orgValue}") });
`,
    config: { "renamed:repoName": "svc-old" },
  });
  await up(workspace);
  emulator.renameRepository("acme", "svc-old", "svc-new");
  await setConfig(workspace, { "renamed:repoName": "svc-new" });
  emulator.resetLog();
  const renamed = await up(workspace);
  expect(
    changed(renamed)
      .filter((s) => s.startsWith("replace "))
      .sort(),
  ).toEqual(["replace env-token", "replace token"]);
  expect(
    emulator.getSecret("actions-repo", "acme/svc-new", "SVC_TOKEN")?.value,
  ).toBe(token);
  expect(
    emulator.getSecret(
      "actions-environment",
      "acme/svc-new/prod",
      "SVC_ENV_TOKEN",
    )?.value,
  ).toBe(orgValue);
  const redirected = emulator
    .requestLog()
    .filter((e) => e.status === 307)
    .map((e) => e.method);
  expect(redirected).toEqual(["DELETE", "DELETE"]);
});

test("4. a rotated github:token: refresh and destroy say to up first or use --run-program; then they work", async () => {
  const first = "ghp_first_token_for_rotation_000";
  emulator.addToken({ token: first, login: "octocat", write: true });
  tokens.push(first);
  const workspace = await program(
    {
      name: "rotated",
      source: `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
new RepoSecret("token", { repository: "infra", secretName: "ROTATED_TOKEN", value: pulumi.secret("${token}") });
`,
      secrets: { "github:token": first },
    },
    { GITHUB_TOKEN: undefined },
  );
  await up(workspace);
  const second = emulator.rotateToken(first);
  tokens.push(second);
  await setConfig(workspace, { "github:token": second }, { secret: true });

  for (const command of ["refresh", "destroy"] as const) {
    const failed = await withPreview(workspace, command);
    expectNoLeaks(workspace, failed.output);
    expect(failed.exitCode).not.toBe(0);
    expect(failed.output).toMatch(/GitHub answered 401: Bad credentials/);
    expect(failed.output).toContain(
      "use the credentials saved in the stack at the last `pulumi up`",
    );
    expect(failed.output).toContain("--run-program");
  }
  const refreshed = await withPreview(workspace, "refresh", {
    runProgram: true,
  });
  expectNoLeaks(workspace, refreshed.output);
  succeeded(refreshed);
  await up(workspace);
  expect(
    emulator.getSecret("actions-repo", "acme/infra", "ROTATED_TOKEN")?.value,
  ).toBe(token);
  const destroyed = await withPreview(workspace, "destroy");
  expectNoLeaks(workspace, destroyed.output);
  succeeded(destroyed);
  expect(
    emulator.getSecret("actions-repo", "acme/infra", "ROTATED_TOKEN"),
  ).toBeUndefined();
});

test("5. the import option is refused at construction with what works instead", async () => {
  const workspace = await program({
    name: "imported",
    source: `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
new RepoSecret("token", { repository: "api", secretName: "IMPORTED", value: pulumi.secret("${token}") }, { import: "repos/acme/api/actions/secrets/IMPORTED" });
`,
  });
  emulator.resetLog();
  const refused = await deploy(workspace, "preview");
  expectNoLeaks(workspace, refused.output);
  expect(refused.exitCode).not.toBe(0);
  expect(refused.output).toContain(
    'RepoSecret "token": the import option does not work for dynamic resources (pulumi/pulumi#16175); remove it and declare the secret with its value',
  );
  expect(emulator.logSummary().total).toBe(0);
});

test("a secret deleted outside Pulumi: refresh notices, the next up writes it again", async () => {
  const workspace = await program({
    name: "deleted",
    source: `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
new RepoSecret("token", { repository: "web", secretName: "DELETED_BY_HAND", value: pulumi.secret("${token}") });
`,
  });
  await up(workspace);
  emulator.deleteSecret("actions-repo", "acme/web", "DELETED_BY_HAND");
  const refreshed = succeeded(await withPreview(workspace, "refresh"));
  expectNoLeaks(workspace, refreshed.output);
  expect(
    refreshed
      .update!.steps.filter((s) => s.op !== "same")
      .map((s) => `${s.op} ${s.name}`),
  ).toEqual(["delete token"]);
  const again = await up(workspace);
  expect(changed(again)).toEqual(["create token"]);
  expect(
    emulator.getSecret("actions-repo", "acme/web", "DELETED_BY_HAND")?.value,
  ).toBe(token);
});

test("the emulator saw no request or response that breaks GitHub's OpenAPI description", () => {
  expect(emulator.schemaViolations()).toEqual([]);
});
