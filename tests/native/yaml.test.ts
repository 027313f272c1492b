// examples/yaml, a Pulumi YAML program on the provider plugin, run as a user runs it: `pulumi up`
// in the project folder (the CLI starts the YAML language host beside it, no Automation API), the
// plugin installed from its release archive (`pulumi plugin install … --file`, npm run
// plugin:pack's) into the workspace's own PULUMI_HOME, nothing on PATH. One project, the steps
// in order: install → up (every kind, an explicit provider; each value decrypted by the emulator)
// → a no-op preview sending no request → `pulumi config set --secret` of one value, `preview
// --diff` naming `value`, up with one PUT → `pulumi import` of one secret, the printed YAML code
// added to the program with a value, up writing it once → `pulumi import --file` of an
// organization secret, its selection and an environment secret, up writing both values once →
// destroy. Everything the CLI printed and stored (`pulumi stack export`, the backend's files) is
// scanned for values and tokens.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  checkSecrets,
  demoPassphrase,
  type ExportedStack,
} from "../../tools/demo/proof";
import { packageVersion, pluginName } from "../../tools/plugin-archive";
import {
  createWorkspace,
  exportStack,
  inFolder,
  pulumi,
  removeWorkspace,
  setConfig,
  stackConfig,
  type Deployment,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { isolatedEnv } from "../support/host";
import {
  expectNoLeaks,
  installPluginArchive,
  succeeded,
} from "../support/pulumi";
import { repositoryRoot } from "../support/serialized-provider";
import { putOutsidePulumi } from "./outside";

jest.setTimeout(300_000);

const project = "yaml-secrets";
const stack = "dev";
/** The program's secrets (not the selection resource) in examples/yaml/Pulumi.yaml. */
const declaredSecrets = 12;
const edited = { resource: "deploy-key" };
const editedValue = "edited-yaml-deploy-key-\u2713";
/**
 * The values the imported secrets are given once adopted, by config key. In Pulumi YAML, config
 * and resources share one namespace: the key is not the resource's name, as for the others.
 */
const adoptedValues = {
  adoptedValue: "adopted-by-yaml-value-1",
  sharedValue: "shared-by-yaml-value-2",
  dbPasswordValue: "db-password-yaml-value-3",
};
const adoptedValueKey: Record<string, keyof typeof adoptedValues> = {
  adopted: "adoptedValue",
  shared: "sharedValue",
  "db-password": "dbPasswordValue",
};

let github: Emulator;
let workspace: Workspace;
/** The stack's config as the CLI decrypts it: what the program reads. */
let config: Record<string, string> = {};

/** The config key that holds a resource's value: deploy-key → yaml-secrets:deployKey. */
const configKeyOf = (resource: string) =>
  `${project}:${adoptedValueKey[resource] ?? resource.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}`;

const secretValues = () =>
  Object.entries(config)
    .filter(([key]) => key.startsWith(`${project}:`))
    .map(([, value]) => value);

async function noLeaks(output: string): Promise<void> {
  await expectNoLeaks(workspace, output, [
    github.token,
    editedValue,
    ...secretValues(),
    ...Object.values(adoptedValues),
  ]);
}

/** What the emulator was asked to write since its log was reset: "PUT /path", sorted. */
const writes = () =>
  github
    .requestLog()
    .filter((e) => e.method !== "GET")
    .map((e) => `${e.method} ${e.path}`)
    .sort();

/**
 * `pulumi import` in the project folder: its output and the YAML code it printed. Unprotected
 * (`--protect=false`), so that the test's destroy removes what it imported.
 */
async function pulumiImport(
  args: string[],
): Promise<{ output: string; code: ProgramFile["resources"] }> {
  const { output } = await pulumi(workspace, [
    "import",
    ...args,
    "--yes",
    "--protect=false",
  ]);
  return { output, code: printedCode(output) };
}

/**
 * Each secret of the stack against what GitHub decrypted: present, and the stack's value. The
 * secrets compared, for their count.
 */
async function expectGitHubMatchesState(): Promise<
  ReturnType<typeof checkSecrets>
> {
  const exported = await exportStack<ExportedStack>(workspace);
  const checks = checkSecrets(
    github,
    stack,
    exported,
    (resource) => config[configKeyOf(resource)],
  );
  expect(checks.filter((c) => !c.matches)).toEqual([]);
  return checks;
}

/** Names of the secrets (not providers) a deployment's steps did `op` to. */
const resourcesBy = (deployment: Deployment, op: string) =>
  deployment.steps
    .filter((s) => s.op === op && !s.type.startsWith("pulumi:"))
    .map((s) => s.name)
    .sort();

/** The program's Pulumi.yaml in the workspace, edited as a user edits it. */
function editProgram(edit: (program: ProgramFile) => void): void {
  const file = path.join(workspace.dir, "Pulumi.yaml");
  const program = parse(fs.readFileSync(file, "utf8")) as ProgramFile;
  edit(program);
  fs.writeFileSync(file, stringify(program));
}

interface ProgramFile {
  config: Record<string, unknown>;
  resources: Record<
    string,
    { type: string; properties: Record<string, unknown> }
  >;
}

/** The YAML code `pulumi import` prints after its summary: `resources:` and what follows. */
function printedCode(output: string): ProgramFile["resources"] {
  const at = output.lastIndexOf("\nresources:\n");
  expect(at).toBeGreaterThan(-1);
  return (parse(output.slice(at + 1)) as Pick<ProgramFile, "resources">)
    .resources;
}

beforeAll(async () => {
  github = await startEmulator();
  github.addEnvironment("acme", "api", "production");
  workspace = createWorkspace({
    project: path.join(repositoryRoot, "examples", "yaml"),
    stack,
    passphrase: demoPassphrase,
    // The explicit provider is given no baseUrl (its organization is on github.com): it takes
    // GITHUB_BASE_URL from the environment, as every provider of the plugin does.
    env: { ...isolatedEnv, GITHUB_BASE_URL: github.url },
  });
  await pulumi(workspace, ["stack", "init", stack], { stackFlag: false });
  // The default provider's config, as a user sets it for their own account.
  await setConfig(workspace, { "github-secrets:baseUrl": github.url });
  await setConfig(
    workspace,
    { "github-secrets:token": github.token },
    { secret: true },
  );
  config = await stackConfig(workspace);
  // The explicit provider's organization answers to the token of the stack's config.
  github.addToken({
    token: config[`${project}:globexToken`]!,
    login: "globex-bot",
  });
});
afterAll(async () => {
  await github?.close();
  if (workspace) removeWorkspace(workspace);
});

test("pulumi plugin install --file puts the archive's plugin in the plugin cache, and pulumi plugin ls lists it", async () => {
  const install = await installPluginArchive(workspace);
  const listed = JSON.parse(
    (
      await pulumi(workspace, ["plugin", "ls", "--json"], {
        stackFlag: false,
      })
    ).stdout,
  ) as { name: string; kind: string; version: string }[];
  expect(
    listed.map(({ name, kind, version }) => ({ name, kind, version })),
  ).toContainEqual({
    name: pluginName,
    kind: "resource",
    version: packageVersion(),
  });
  await noLeaks(install.output);
});

test("up in the folder: every kind and the explicit provider's secret, each value decrypted where it belongs", async () => {
  github.resetLog();
  const up = succeeded(await inFolder(workspace, "up"));
  expect(resourcesBy(up, "create")).toHaveLength(declaredSecrets + 1);
  expect(await expectGitHubMatchesState()).toHaveLength(declaredSecrets);
  // The selection resource owns SENTRY_DSN's list: api and infra.
  expect(
    github.getSecret("actions-org", "acme", "SENTRY_DSN")
      ?.selectedRepositoryIds,
  ).toEqual([101, 103]);
  // The explicit provider's token reached globex only, and only it did.
  const log = github.requestLog();
  const toGlobex = log.filter((e) => e.path.startsWith("/repos/globex/"));
  expect(toGlobex.length).toBeGreaterThan(0);
  expect(
    log.filter(
      (e) => (e.login === "globex-bot") !== e.path.includes("/globex/"),
    ),
  ).toEqual([]);
  // The plugin came from the plugin cache: the engine warns when it takes one from PATH.
  expect(up.output).not.toContain("from $PATH");
  await noLeaks(up.output);
});

test("preview --expect-no-changes sends no request", async () => {
  github.resetLog();
  const preview = succeeded(
    await inFolder(workspace, "preview", ["--expect-no-changes"]),
  );
  expect(github.requestLog()).toEqual([]);
  expect(Object.keys(preview.changes)).toEqual(["same"]);
  await noLeaks(preview.output);
});

test("pulumi config set --secret of one value: preview --diff names `value` and never the value; up writes it with one PUT", async () => {
  await setConfig(
    workspace,
    { [configKeyOf(edited.resource)]: editedValue },
    { secret: true },
  );
  config = await stackConfig(workspace);
  const preview = succeeded(await inFolder(workspace, "preview", ["--diff"]));
  expect(preview.output).toMatch(
    new RegExp(
      `::${edited.resource}\\]\\n\\s*~ value: \\[secret\\] => \\[secret\\]`,
    ),
  );
  expect(resourcesBy(preview, "update")).toEqual([edited.resource]);
  github.resetLog();
  const up = succeeded(await inFolder(workspace, "up"));
  expect(resourcesBy(up, "update")).toEqual([edited.resource]);
  expect(writes()).toEqual(["PUT /repos/acme/api/actions/secrets/DEPLOY_KEY"]);
  await expectGitHubMatchesState();
  expect(
    github.getSecret("actions-repo", "acme/api", "DEPLOY_KEY")?.value,
  ).toBe(editedValue);
  await noLeaks(preview.output + up.output);
});

test("pulumi import of one secret prints its YAML code and adopts it; the code added with a value, the next up writes it once", async () => {
  await putOutsidePulumi(github, "repos/acme/api/actions/secrets", "ADOPTED");
  github.resetLog();
  const imported = await pulumiImport([
    "github-secrets:index:RepoSecret",
    "adopted",
    "repos/acme/api/actions/secrets/ADOPTED",
  ]);
  const code = imported.code;
  expect(code).toEqual({
    adopted: {
      type: "github-secrets:RepoSecret",
      properties: { owner: "acme", repository: "api", secretName: "ADOPTED" },
    },
  });
  // Adopted, not written: GitHub never reveals a value, so the import reads and writes nothing.
  expect(writes()).toEqual([]);
  expect(github.getSecret("actions-repo", "acme/api", "ADOPTED")?.value).toBe(
    "set outside pulumi",
  );
  const exported = await exportStack<ExportedStack>(workspace);
  expect(
    exported.deployment.resources?.find((r) => r.urn.endsWith("::adopted"))?.id,
  ).toBe("repos/acme/api/actions/secrets/ADOPTED");

  // The user copies the code into the program and gives it its value.
  await setConfig(
    workspace,
    { [`${project}:adoptedValue`]: adoptedValues.adoptedValue },
    { secret: true },
  );
  config = await stackConfig(workspace);
  editProgram((program) => {
    program.config.adoptedValue = { type: "string", secret: true };
    program.resources.adopted = code.adopted!;
    program.resources.adopted.properties.value = "${adoptedValue}";
  });
  github.resetLog();
  const up = succeeded(await inFolder(workspace, "up"));
  expect(resourcesBy(up, "update")).toEqual(["adopted"]);
  expect(writes()).toEqual(["PUT /repos/acme/api/actions/secrets/ADOPTED"]);
  expect(github.getSecret("actions-repo", "acme/api", "ADOPTED")?.value).toBe(
    adoptedValues.adoptedValue,
  );
  await noLeaks(imported.output + up.output);
});

test("pulumi import --file adopts an organization secret, its selection and an environment secret at once; the next up writes both values once", async () => {
  await putOutsidePulumi(github, "orgs/acme/actions/secrets", "SHARED", {
    visibility: "selected",
    selected_repository_ids: [101, 102],
  });
  await putOutsidePulumi(
    github,
    "repos/acme/api/environments/production/secrets",
    "DB_PASSWORD",
  );
  const importFile = path.join(path.dirname(workspace.dir), "import.json");
  fs.writeFileSync(
    importFile,
    JSON.stringify({
      resources: [
        {
          type: "github-secrets:index:OrgSecret",
          name: "shared",
          id: "orgs/acme/actions/secrets/SHARED",
        },
        {
          type: "github-secrets:index:OrgSecretRepositories",
          name: "shared-repositories",
          id: "orgs/acme/actions/secrets/SHARED/repositories",
        },
        {
          type: "github-secrets:index:EnvironmentSecret",
          name: "db-password",
          id: "repos/acme/api/environments/production/secrets/DB_PASSWORD",
        },
      ],
    }),
  );
  github.resetLog();
  const imported = await pulumiImport(["--file", importFile]);
  const code = imported.code;
  expect(code).toEqual({
    shared: {
      type: "github-secrets:OrgSecret",
      properties: {
        org: "acme",
        secretName: "SHARED",
        visibility: "selected",
        selectedRepositoryIds: [101, 102],
      },
    },
    "shared-repositories": {
      type: "github-secrets:OrgSecretRepositories",
      properties: {
        org: "acme",
        secretName: "SHARED",
        selectedRepositoryIds: [101, 102],
      },
    },
    "db-password": {
      type: "github-secrets:EnvironmentSecret",
      properties: {
        owner: "acme",
        repository: "api",
        environment: "production",
        secretName: "DB_PASSWORD",
      },
    },
  });
  expect(writes()).toEqual([]);

  // The code with the values added; the selection resource owns the list, so the secret
  // leaves it out (README, "Repository selection").
  await setConfig(
    workspace,
    {
      [`${project}:sharedValue`]: adoptedValues.sharedValue,
      [`${project}:dbPasswordValue`]: adoptedValues.dbPasswordValue,
    },
    { secret: true },
  );
  config = await stackConfig(workspace);
  editProgram((program) => {
    program.config.sharedValue = { type: "string", secret: true };
    program.config.dbPasswordValue = { type: "string", secret: true };
    const shared: Record<string, unknown> = {
      ...code.shared!.properties,
      value: "${sharedValue}",
    };
    delete shared.selectedRepositoryIds;
    program.resources.shared = { ...code.shared!, properties: shared };
    program.resources["shared-repositories"] = code["shared-repositories"]!;
    program.resources["db-password"] = {
      ...code["db-password"]!,
      properties: {
        ...code["db-password"]!.properties,
        value: "${dbPasswordValue}",
      },
    };
  });
  github.resetLog();
  const up = succeeded(await inFolder(workspace, "up"));
  expect(resourcesBy(up, "update")).toEqual(["db-password", "shared"]);
  expect(writes()).toEqual([
    "PUT /orgs/acme/actions/secrets/SHARED",
    "PUT /repos/acme/api/environments/production/secrets/DB_PASSWORD",
  ]);
  expect(github.getSecret("actions-org", "acme", "SHARED")).toMatchObject({
    value: adoptedValues.sharedValue,
    visibility: "selected",
    selectedRepositoryIds: [101, 102],
  });
  expect(
    github.getSecret(
      "actions-environment",
      "acme/api/production",
      "DB_PASSWORD",
    )?.value,
  ).toBe(adoptedValues.dbPasswordValue);
  await expectGitHubMatchesState();
  await noLeaks(imported.output + up.output);
});

test("destroy deletes every secret, the imported ones included", async () => {
  const before = await exportStack<ExportedStack>(workspace);
  const destroy = succeeded(await inFolder(workspace, "destroy"));
  expect(resourcesBy(destroy, "delete")).toHaveLength(declaredSecrets + 1 + 4);
  expect(
    checkSecrets(github, stack, before, () => undefined).filter(
      (c) => c.present,
    ),
  ).toEqual([]);
  const after = await exportStack<ExportedStack>(workspace);
  expect(after.deployment.resources ?? []).toEqual([]);
  await noLeaks(destroy.output);
});

test("the emulator saw no request or response that breaks GitHub's OpenAPI description", () => {
  expect(github.schemaViolations()).toEqual([]);
});
