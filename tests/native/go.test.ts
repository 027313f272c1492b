// A Go program on the provider plugin, through the generated Go SDK (sdk/go/githubsecrets) and the
// real Pulumi CLI: every kind through the default provider, one explicit provider for another
// organization; a no-op preview sending no request; destroy leaving nothing. The emulator
// decrypts every value; the output, `pulumi stack export` and the backend's files are scanned for
// values and tokens. The program (tests/native/go, a Go module of its own) is an Automation API
// inline program, so no Go language host is needed; it is built once per run into .cache/.
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  startEmulator,
  type Emulator,
  type LogEntry,
} from "../../tools/github-emulator";
import { repositoryRoot } from "../../tools/pulumi-cli";
import {
  exportStack,
  removeWorkspace,
  type Deployment,
  type Step,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { kindCases } from "../support/kinds";
import { leaksIn } from "../support/leaks";
import {
  backendText,
  nativePlugin,
  programWorkspace,
  succeeded,
} from "../support/pulumi";

jest.setTimeout(300_000);

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

interface Run {
  exitCode: number;
  output: string;
  stdout: string;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ exitCode: code ?? 1, output, stdout }),
    );
  });
}

/**
 * `go build` of tests/native/go. Straight to its place: go build relinks only when the binary
 * there is not the one its build ID says (an interrupted copy included), so an up-to-date
 * program costs about a second, a relink about five. go.mod and go.sum must be tidy
 * (-mod=readonly): the build never edits them.
 */
async function buildProgram(): Promise<void> {
  fs.mkdirSync(path.dirname(programBinary), { recursive: true });
  const started = Date.now();
  const built = await run(
    "go",
    ["build", "-mod=readonly", "-buildvcs=false", "-o", programBinary, "."],
    { cwd: moduleDir, env: { ...process.env, GOWORK: "off" } },
  );
  if (built.exitCode !== 0)
    throw new Error(`go build in ${moduleDir} failed:\n${built.output}`);
  process.stderr.write(
    `go build ${path.relative(repositoryRoot, programBinary)}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

type Command = "preview" | "up" | "destroy";

/** One deployment: one process of the Go program, which runs the CLI once. */
async function deploy(
  command: Command,
  flags: { expectNoChanges?: boolean; previewOnly?: boolean } = {},
): Promise<Deployment> {
  const result = path.join(
    path.dirname(workspace.dir),
    `result-${crypto.randomBytes(4).toString("hex")}.json`,
  );
  const request = {
    command,
    ...flags,
    stack: workspace.stack,
    workDir: workspace.dir,
    cliRoot: path.dirname(path.dirname(workspace.cli.path)),
    result,
    revision: "1",
  };
  const ran = await run(programBinary, [JSON.stringify(request)], {
    cwd: workspace.dir,
    env: workspace.env,
  });
  let report: {
    steps: Step[];
    changes: Record<string, number>;
    error?: string;
  };
  try {
    report = JSON.parse(fs.readFileSync(result, "utf8")) as typeof report;
    fs.rmSync(result);
  } catch {
    report = {
      steps: [],
      changes: {},
      error: `the Go program wrote no result:\n${ran.output}`,
    };
  }
  return {
    ...ran,
    command,
    steps: report.steps,
    changes: report.changes,
    outputs: {},
    ...(report.error ? { error: report.error } : {}),
    exitCode: report.error ? ran.exitCode || 1 : ran.exitCode,
  };
}

/** What `pulumi up` and `pulumi destroy` do without --skip-preview: a preview deployment, then the deployment. */
async function withPreview(
  command: "up" | "destroy",
): Promise<{ preview: Deployment; update: Deployment; output: string }> {
  const preview = succeeded(
    command === "up"
      ? await deploy("preview")
      : await deploy("destroy", { previewOnly: true }),
  );
  const update = succeeded(await deploy(command));
  return { preview, update, output: preview.output + update.output };
}

beforeAll(async () => {
  await buildProgram();
  github = await startEmulator();
  github.addToken({ token: globexToken, login: "globex-bot" });
  seen.push(github.token);
  workspace = await programWorkspace({
    name: "native-go",
    runtime: "go",
    project: nativePlugin,
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
  const exported = JSON.stringify(await exportStack(workspace));
  for (const [what, text] of [
    ["pulumi stack export", exported],
    ["backend files", backendText(workspace)],
    ["output", output],
  ] as const)
    expect({ what, leaks: leaksIn(text, [...seen, ...values]) }).toEqual({
      what,
      leaks: [],
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
].sort();

test("up: every kind and an explicit provider's secret, each value decrypted where it belongs", async () => {
  github.resetLog();
  const result = await withPreview("up");
  expect(secretsBy(result.preview, "create")).toEqual(declared);
  expect(secretsBy(result.update, "create")).toEqual(declared);
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
  await noLeaks(result.output);
});

test("a no-op preview sends no request", async () => {
  github.resetLog();
  const preview = succeeded(await deploy("preview", { expectNoChanges: true }));
  expect(github.requestLog()).toEqual([]);
  // The secrets, the explicit provider and the stack.
  expect(preview.changes).toEqual({ same: declared.length + 2 });
  await noLeaks(preview.output);
});

test("destroy leaves nothing", async () => {
  const result = await withPreview("destroy");
  expect(secretsBy(result.update, "delete")).toEqual(declared);
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
