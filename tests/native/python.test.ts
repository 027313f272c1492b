// A Python program on the provider plugin (`pulumi_github_secrets`, the SDK generated from the
// schema into sdk/python, installed into a virtualenv by tools/python-env), through the real
// Pulumi CLI: every kind through the default provider, configured by stack config; one explicit
// provider for another organization with a token of its own; values the plugin reads from a
// variable, a file and a dotenv key of the project folder and a command (`valueFrom`), not even
// in the decrypted state, a changed source written once; a no-op preview sending no request;
// destroy leaving nothing, with every source gone. The plugin is installed as a user installs a
// release (`pulumi plugin install … --file` of the archive, into the workspace's own PULUMI_HOME;
// nothing on PATH). The program (python/program.py) runs as a Python Automation API inline
// program, one process per deployment (no Python language host here). The emulator decrypts every
// value; the engine's output, `pulumi stack export` and the backend's files are scanned for values
// and tokens.
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  deploy,
  removeWorkspace,
  withPreview,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { pythonEnv } from "../../tools/python-env";
import { kindCases } from "../support/kinds";
import {
  changeSources,
  noneOnGitHub,
  putsOf,
  removeSourceFiles,
  sourcedLeaks,
  sourcedOnGitHub,
  sourcedValues,
  sourcesEnv,
  writeSourceFiles,
  writesTo,
} from "../support/value-sources";
import { expectNoLeaks, programWorkspace, succeeded } from "../support/pulumi";

jest.setTimeout(300_000);

const programFile = path.join(__dirname, "python", "program.py");
const globexToken = "ghp_python_globex_token_000000000000001";
/** The value the program declares for `name` (python/program.py's `value`). */
const valueOf = (name: string, revision = 1) =>
  `python-secret-${name}-${revision}`;

let python: string;
let github: Emulator;
let workspace: Workspace;

/** camelCase arguments (kinds.ts) as the Python SDK names them: selectedRepositoryIds → selected_repository_ids. */
function snakeCase(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([key, value]) => [
      key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
      value,
    ]),
  );
}

const cases = kindCases.map(({ kind, args }) => ({
  kind,
  args: snakeCase(args),
}));

let sources = sourcedValues("python", 1);

/** python/program.py as the deployments' runner (tools/pulumi-cli/deployments.ts). */
const runPython = () => ({
  runner: { command: python, args: [programFile] },
  inputs: { cases, revision: 1 },
  env: sourcesEnv(sources),
});

beforeAll(async () => {
  python = pythonEnv();
  github = await startEmulator();
  github.addToken({ token: globexToken, login: "globex-bot" });
  workspace = await programWorkspace({
    name: "python",
    runtime: "python",
    pluginArchive: true,
    config: {
      "github-secrets:baseUrl": github.url,
      "github-secrets:owner": "acme",
    },
    secrets: {
      "github-secrets:token": github.token,
      "python:globexToken": globexToken,
    },
    env: {
      GITHUB_TOKEN: undefined,
      GITHUB_OWNER: undefined,
      GITHUB_BASE_URL: undefined,
    },
  });
  writeSourceFiles(workspace.dir, sources);
});
afterAll(async () => {
  await github?.close();
  if (workspace) removeWorkspace(workspace);
});

/** Everything the engine printed and the backend stored holds no value and no token. */
async function noLeaks(output: string): Promise<void> {
  const values = [...kindCases.map((c) => valueOf(c.kind)), valueOf("globex")];
  await expectNoLeaks(workspace, output, [
    github.token,
    globexToken,
    ...values,
  ]);
  // Not even the decrypted state holds a sourced value, or an unsalted hash of one.
  await expectNoLeaks(workspace, output, sourcedLeaks("python"), {
    showSecrets: true,
  });
}

const secretNames = [
  ...kindCases.map((c) => `every-${c.kind}`),
  "globex-deploy",
  "vf-env",
  "vf-file",
  "vf-dotenv",
  "vf-command",
];

test("up: every kind, an explicit provider's secret and values from sources, each value decrypted where it belongs", async () => {
  const result = succeeded(await withPreview(workspace, "up", runPython()));
  expect(sourcedOnGitHub(github)).toEqual(sources);
  for (const c of kindCases)
    expect({
      kind: c.kind,
      value: github.getSecret(c.family, c.scope, "EVERY_KIND")?.value,
    }).toEqual({ kind: c.kind, value: valueOf(c.kind) });
  expect(
    github.getSecret("actions-repo", "globex/billing", "DEPLOY")?.value,
  ).toBe(valueOf("globex"));
  // The explicit provider's secret went to globex only, none to the default provider's owner.
  expect(
    github.getSecret("actions-repo", "acme/api", "DEPLOY"),
  ).toBeUndefined();
  const created = result
    .update!.steps.filter((step) => step.op === "create")
    .map((step) => step.name);
  expect(created).toEqual(expect.arrayContaining(secretNames));
  // The plugin came from the plugin cache (installed from the archive), not from PATH.
  expect(result.output).not.toContain("from $PATH");
  await noLeaks(result.output);
});

test("a preview with expect_no_changes sends no request", async () => {
  github.resetLog();
  const preview = succeeded(
    await deploy(workspace, "preview", {
      ...runPython(),
      expectNoChanges: true,
    }),
  );
  expect(github.requestLog()).toHaveLength(0);
  expect(Object.keys(preview.changes)).toEqual(["same"]);
  await noLeaks(preview.output);
});

test("a source that holds a new value shows as a changed valueFrom in preview --diff and is written once", async () => {
  sources = changeSources(workspace.dir, "python", sources, [
    "file",
    "command",
  ]);
  github.resetLog();
  const up = succeeded(
    await withPreview(workspace, "up", { ...runPython(), diff: true }),
  );
  expect(up.preview.output).toMatch(
    /\[id=repos\/acme\/api\/environments\/prod\/secrets\/VF_FILE\][\s\S]*?~ valueFrom\s*: \{\n\s+file\s+: "secrets\/token.txt"\n\s+~ revision: 1 => 2\n/,
  );
  expect(writesTo(github)).toEqual(putsOf(["file", "command"]));
  expect(sourcedOnGitHub(github)).toEqual(sources);
  await noLeaks(up.output);
});

test("destroy leaves nothing, with every source gone", async () => {
  removeSourceFiles(workspace.dir);
  const result = succeeded(
    await withPreview(workspace, "destroy", { ...runPython(), env: {} }),
  );
  expect(sourcedOnGitHub(github)).toEqual(noneOnGitHub);
  for (const c of kindCases)
    expect({
      kind: c.kind,
      left: github.getSecret(c.family, c.scope, "EVERY_KIND"),
    }).toEqual({ kind: c.kind, left: undefined });
  expect(
    github.getSecret("actions-repo", "globex/billing", "DEPLOY"),
  ).toBeUndefined();
  const deleted = result
    .update!.steps.filter((step) => step.op === "delete")
    .map((step) => step.name);
  expect(deleted).toEqual(expect.arrayContaining(secretNames));
  await noLeaks(result.output);
});
