// A Go program on the provider plugin, through the generated Go SDK (sdk/go/githubsecrets) and the
// real Pulumi CLI: every kind through the default provider, one explicit provider for another
// organization; values the plugin reads from a variable, a file and a dotenv key of the project
// folder and a command (`valueFrom`), not even in the decrypted state, a changed source written
// once; a no-op preview sending no request; destroy leaving nothing, every source gone. The plugin
// is installed from its release archive (`pulumi plugin install … --file`) into the workspace's
// own PULUMI_HOME, nothing on PATH. The emulator decrypts every value; the output, `pulumi stack
// export` and the backend's files are scanned for values and tokens. The program
// (tests/native/go, a Go module of its own) is an Automation API inline program, so no Go
// language host is needed; it is built once per run into .cache/.
import { execFile as execFileCallback } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  startEmulator,
  type Emulator,
  type LogEntry,
} from "../../tools/github-emulator";
import { repositoryRoot } from "../../tools/pulumi-cli";
import {
  deploy,
  exportStack,
  removeWorkspace,
  withPreview,
  type Deployment,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
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

const execFile = promisify(execFileCallback);

const moduleDir = path.join(__dirname, "go");
const programBinary = path.join(
  repositoryRoot,
  ".cache",
  "native-go",
  "program",
);
const globexToken = "ghp_native_go_globex_token_000000000001";

let github: Emulator;
let workspace: Workspace;
const seen: string[] = [globexToken];

/**
 * `go build` of tests/native/go. Straight to its place: go build relinks only when the binary
 * there is not the one its build ID says (an interrupted copy included), so an up-to-date
 * program costs about a second, a relink about five. go.mod and go.sum must be tidy
 * (-mod=readonly): the build never edits them.
 */
async function buildProgram(): Promise<void> {
  fs.mkdirSync(path.dirname(programBinary), { recursive: true });
  const started = Date.now();
  await execFile(
    "go",
    ["build", "-mod=readonly", "-buildvcs=false", "-o", programBinary, "."],
    { cwd: moduleDir, env: { ...process.env, GOWORK: "off" } },
  ).catch((error: { stderr?: string }) => {
    throw new Error(`go build in ${moduleDir} failed:\n${error.stderr ?? ""}`);
  });
  process.stderr.write(
    `go build ${path.relative(repositoryRoot, programBinary)}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

let sources = sourcedValues("native-go", 1);

/** The Go program as the deployments' runner (tools/pulumi-cli/deployments.ts). */
const go = () => ({
  runner: { command: programBinary, args: [] },
  inputs: { revision: "1" },
  env: sourcesEnv(sources),
});

beforeAll(async () => {
  await buildProgram();
  github = await startEmulator();
  github.addToken({ token: globexToken, login: "globex-bot" });
  seen.push(github.token);
  workspace = await programWorkspace({
    name: "native-go",
    runtime: "go",
    pluginArchive: true,
    config: {
      "github-secrets:baseUrl": github.url,
      "github-secrets:owner": "acme",
    },
    secrets: {
      "github-secrets:token": github.token,
      "native-go:globexToken": globexToken,
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

/** Everything the CLI and the program printed and stored holds no value and no token. */
async function noLeaks(output: string): Promise<void> {
  const values = [
    ...kindCases.map((c) => `native-go-${c.kind}-`),
    "native-go-globex-",
  ];
  await expectNoLeaks(workspace, output, [...seen, ...values]);
  // Not even the decrypted state holds a sourced value, or an unsalted hash of one.
  await expectNoLeaks(workspace, output, sourcedLeaks("native-go"), {
    showSecrets: true,
  });
}

/** Names of the secrets (not providers) a deployment's steps did `op` to. */
const secretsBy = (deployment: Deployment, op: string) =>
  deployment.steps
    .filter((s) => s.op === op && s.type.startsWith("github-secrets:index:"))
    .map((s) => `${s.type.slice("github-secrets:index:".length)} ${s.name}`)
    .sort();

const declared = [
  ...kindCases.map((c) => `${c.kind} every-${c.kind}`),
  "RepoSecret globex-deploy",
  "RepoSecret vf-env",
  "EnvironmentSecret vf-file",
  "OrgSecret vf-dotenv",
  "CodespacesUserSecret vf-command",
].sort();

test("up: every kind, an explicit provider's secret and values from sources, each value decrypted where it belongs", async () => {
  github.resetLog();
  const result = succeeded(await withPreview(workspace, "up", go()));
  expect(sourcedOnGitHub(github)).toEqual(sources);
  expect(secretsBy(result.preview, "create")).toEqual(declared);
  expect(secretsBy(result.update!, "create")).toEqual(declared);
  for (const c of kindCases)
    expect({
      kind: c.kind,
      value: github.getSecret(c.family, c.scope, "EVERY_KIND")?.value,
    }).toEqual({ kind: c.kind, value: `native-go-${c.kind}-1` });
  expect(
    github.getSecret("actions-repo", "globex/billing", "DEPLOY")?.value,
  ).toBe("native-go-globex-1");
  // The explicit provider's token reached globex's repository, and only it; the default
  // provider's never did.
  const byGlobex = (entry: LogEntry) => entry.login === "globex-bot";
  const toGlobex = (entry: LogEntry) => entry.path.startsWith("/repos/globex/");
  const log = github.requestLog();
  expect(log.filter(toGlobex).length).toBeGreaterThan(0);
  expect(log.filter((e) => byGlobex(e) !== toGlobex(e))).toEqual([]);
  // The plugin came from the plugin cache (installed from the archive), not from PATH.
  expect(result.output).not.toContain("from $PATH");
  await noLeaks(result.output);
});

test("a no-op preview sends no request", async () => {
  github.resetLog();
  const preview = succeeded(
    await deploy(workspace, "preview", { ...go(), expectNoChanges: true }),
  );
  expect(github.requestLog()).toEqual([]);
  // The secrets, the explicit provider and the stack.
  expect(preview.changes).toEqual({ same: declared.length + 2 });
  await noLeaks(preview.output);
});

test("a source that holds a new value shows as a changed valueFrom in preview --diff and is written once", async () => {
  sources = changeSources(workspace.dir, "native-go", sources, [
    "env",
    "dotenv",
  ]);
  github.resetLog();
  const up = succeeded(
    await withPreview(workspace, "up", { ...go(), diff: true }),
  );
  expect(up.preview.output).toMatch(
    /\[id=orgs\/acme\/actions\/secrets\/VF_DOTENV\][\s\S]*?~ valueFrom\s*: \{\n\s+file\s+: "\.env"\n\s+key\s+: "VF_DOTENV"\n\s+~ revision: 1 => 2\n/,
  );
  expect(writesTo(github)).toEqual(putsOf(["env", "dotenv"]));
  expect(sourcedOnGitHub(github)).toEqual(sources);
  await noLeaks(up.output);
});

test("destroy leaves nothing, with every source gone", async () => {
  removeSourceFiles(workspace.dir);
  const result = succeeded(
    await withPreview(workspace, "destroy", { ...go(), env: {} }),
  );
  expect(sourcedOnGitHub(github)).toEqual(noneOnGitHub);
  expect(secretsBy(result.update!, "delete")).toEqual(declared);
  for (const c of kindCases)
    expect({
      kind: c.kind,
      secret: github.getSecret(c.family, c.scope, "EVERY_KIND"),
    }).toEqual({ kind: c.kind, secret: undefined });
  expect(
    github.getSecret("actions-repo", "globex/billing", "DEPLOY"),
  ).toBeUndefined();
  const exported = await exportStack(workspace);
  expect(exported.deployment.resources ?? []).toEqual([]);
  await noLeaks(result.output);
});
