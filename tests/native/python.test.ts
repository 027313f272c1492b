// A Python program on the provider plugin (`pulumi_github_secrets`, the SDK generated from the
// schema into sdk/python, installed into a virtualenv by tools/python-env), through the real
// Pulumi CLI: every kind through the default provider, configured by stack config; one explicit
// provider for another organization with a token of its own; a no-op preview sending no request;
// destroy leaving nothing. The program (python/program.py) runs as a Python Automation API inline
// program, one process per deployment (no Python language host here). The emulator decrypts every
// value; the engine's output, `pulumi stack export` and the backend's files are scanned for values
// and tokens.
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  exportStack,
  removeWorkspace,
  type Command,
  type Deployment,
  type Step,
  type Update,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { pythonEnv } from "../../tools/python-env";
import { kindCases } from "../support/kinds";
import { leaksIn } from "../support/leaks";
import {
  backendText,
  nativePlugin,
  programWorkspace,
  succeeded,
} from "../support/pulumi";

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

interface PythonFlags {
  expectNoChanges?: boolean;
  diff?: boolean;
  /** destroy: only its preview. */
  previewOnly?: boolean;
}

/** One deployment: one Python process (python/program.py), one CLI process, fresh plugins. */
function deployPython(
  command: Command,
  flags: PythonFlags = {},
): Promise<Deployment> {
  const resultFile = path.join(
    path.dirname(workspace.dir),
    `result-${crypto.randomBytes(4).toString("hex")}.json`,
  );
  const request = {
    command,
    stack: workspace.stack,
    work_dir: workspace.dir,
    // root/bin/pulumi, the layout PulumiCommand(root=…) expects.
    pulumi_root: path.dirname(path.dirname(workspace.cli.path)),
    result: resultFile,
    expect_no_changes: flags.expectNoChanges ?? false,
    diff: flags.diff ?? false,
    preview_only: flags.previewOnly ?? false,
    cases,
    revision: 1,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(python, [programFile, JSON.stringify(request)], {
      cwd: workspace.dir,
      env: workspace.env,
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
    child.on("close", (code) => {
      let report: {
        steps: Step[];
        changes: Record<string, number>;
        error?: string;
      };
      try {
        report = JSON.parse(
          fs.readFileSync(resultFile, "utf8"),
        ) as typeof report;
        fs.rmSync(resultFile);
      } catch {
        report = {
          steps: [],
          changes: {},
          error: `the deployment wrote no result:\n${output}`,
        };
      }
      resolve({
        command,
        exitCode: report.error ? code || 1 : (code ?? 1),
        output,
        stdout,
        steps: report.steps,
        changes: report.changes,
        outputs: {},
        ...(report.error ? { error: report.error } : {}),
      });
    });
  });
}

/** `pulumi up` / `pulumi destroy` as users run them: the preview, then the update (two processes). */
async function withPreview(command: "up" | "destroy"): Promise<Update> {
  const preview =
    command === "up"
      ? await deployPython("preview")
      : await deployPython("destroy", { previewOnly: true });
  if (preview.exitCode !== 0)
    return {
      preview,
      exitCode: preview.exitCode,
      output: preview.output,
      ...(preview.error ? { error: preview.error } : {}),
    };
  const update = await deployPython(command);
  return {
    preview,
    update,
    exitCode: update.exitCode,
    output: preview.output + update.output,
    ...(update.error ? { error: update.error } : {}),
  };
}

beforeAll(async () => {
  python = pythonEnv();
  github = await startEmulator();
  github.addToken({ token: globexToken, login: "globex-bot" });
  workspace = await programWorkspace({
    name: "python",
    runtime: "python",
    project: nativePlugin,
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
});
afterAll(async () => {
  await github?.close();
  if (workspace) removeWorkspace(workspace);
});

/** Everything the engine printed and the backend stored holds no value and no token. */
async function noLeaks(output: string): Promise<void> {
  const values = [...kindCases.map((c) => valueOf(c.kind)), valueOf("globex")];
  const exported = JSON.stringify(await exportStack(workspace));
  for (const [what, text] of [
    ["pulumi stack export", exported],
    ["backend files", backendText(workspace)],
    ["engine output", output],
  ] as const)
    expect({
      what,
      leaks: leaksIn(text, [github.token, globexToken, ...values]),
    }).toEqual({ what, leaks: [] });
}

const secretNames = [
  ...kindCases.map((c) => `every-${c.kind}`),
  "globex-deploy",
];

test("up: every kind and an explicit provider's secret, each value decrypted where it belongs", async () => {
  const result = succeeded(await withPreview("up"));
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
  await noLeaks(result.output);
});

test("a preview with expect_no_changes sends no request", async () => {
  github.resetLog();
  const preview = succeeded(
    await deployPython("preview", { expectNoChanges: true }),
  );
  expect(github.requestLog()).toHaveLength(0);
  expect(Object.keys(preview.changes)).toEqual(["same"]);
  await noLeaks(preview.output);
});

test("destroy leaves nothing", async () => {
  const result = succeeded(await withPreview("destroy"));
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
