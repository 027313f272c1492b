// What the real Pulumi engine does with this package's resources, read as a user reads it:
// `preview --diff` (the update shown, never a value, no noise from `__provider`, also after an
// upgrade of this package), `replaceOnChanges`, and `--parallel 64`.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { type ExportedStack } from "../../tools/demo/proof";
import {
  deploy,
  exportStack,
  pulumi,
  removeWorkspace,
  setConfig,
  withPreview,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { leaksIn } from "../support/leaks";
import { backendText, programWorkspace, succeeded } from "../support/pulumi";

jest.setTimeout(240_000);

let emulator: Emulator;
const workspaces: Workspace[] = [];
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
  for (const workspace of workspaces) removeWorkspace(workspace);
});

const source = (options: string) => `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
const config = new pulumi.Config();
new RepoSecret("token", { repository: "api", secretName: config.require("secretName"), value: config.requireSecret("value") }, ${options});
`;

async function program(name: string, options = "{}"): Promise<Workspace> {
  const workspace = await programWorkspace({
    name,
    source: source(options),
    config: {
      "github:owner": "acme",
      [`${name}:secretName`]: name.toUpperCase(),
    },
    secrets: { [`${name}:value`]: `${name}-value-1` },
    env: { GITHUB_TOKEN: emulator.token, GITHUB_BASE_URL: emulator.url },
  });
  workspaces.push(workspace);
  return workspace;
}

/**
 * What `preview --diff` shows of a changed value: the resource's update with its inputs, the value
 * as [secret]. The dynamic-provider host sends no detailed diff and the CLI cannot compare two
 * secrets for its display, so no line is marked as the change; the serialized provider is never
 * shown.
 */
function expectUpdateShown(output: string): void {
  expect(output).toMatch(
    /~ pulumi-nodejs:dynamic\/github-secrets:RepoSecret: \(update\)/,
  );
  expect(output).toMatch(/^\s+value\s+: \[secret\]$/m);
  expect(output).not.toContain("__provider");
}

const values = (name: string) => [1, 2, 3].map((n) => `${name}-value-${n}`);

/** `pulumi config set --secret` of the program's second value, then `preview --diff`, read. */
async function previewNewValue(workspace: Workspace, name: string) {
  await setConfig(
    workspace,
    { [`${name}:value`]: `${name}-value-2` },
    { secret: true },
  );
  const preview = succeeded(await deploy(workspace, "preview", { diff: true }));
  expect(leaksIn(preview.output, [...values(name), emulator.token])).toEqual(
    [],
  );
  expectUpdateShown(preview.output);
}

test("preview --diff of a changed value shows the update, never the value, nothing of __provider", async () => {
  const workspace = await program("diffed");
  succeeded(await withPreview(workspace, "up"));
  await previewNewValue(workspace, "diffed");
});

test("after an upgrade of this package (another serialized provider in state), preview --diff of a changed value", async () => {
  const workspace = await program("upgraded");
  succeeded(await withPreview(workspace, "up"));
  // State as an older version wrote it: the serialized provider text differs.
  const state = await exportStack<ExportedStack>(workspace);
  for (const resource of state.deployment.resources ?? []) {
    for (const props of [resource.inputs, resource.outputs]) {
      if (props && typeof props.__provider === "string")
        props.__provider = props.__provider.replace(
          /exports\.handler = /,
          "/* written by pulumi-github-secrets 0.0.9 */ exports.handler = ",
        );
    }
  }
  expect(JSON.stringify(state)).toContain(
    "written by pulumi-github-secrets 0.0.9",
  );
  await pulumi(workspace, ["stack", "import"], {
    input: JSON.stringify(state),
  });
  const unchanged = succeeded(
    await deploy(workspace, "preview", { diff: true }),
  );
  expect(unchanged.steps.filter((s) => s.op !== "same")).toEqual([]);
  await previewNewValue(workspace, "upgraded");
});

test("replaceOnChanges has no effect: the display names the key, the engine updates in place", async () => {
  const workspace = await programWorkspace({
    name: "visibility",
    source: `
import * as pulumi from "@pulumi/pulumi";
import { OrgSecret } from "pulumi-github-secrets";
const config = new pulumi.Config();
new OrgSecret("shared", { secretName: "REPLACE_ON_VISIBILITY", value: pulumi.secret("visibility-value"), visibility: config.require("visibility") as "all" | "private" }, { replaceOnChanges: ["visibility"] });
`,
    config: { "github:owner": "acme", "visibility:visibility": "all" },
    env: { GITHUB_TOKEN: emulator.token, GITHUB_BASE_URL: emulator.url },
  });
  workspaces.push(workspace);
  succeeded(await withPreview(workspace, "up"));
  await setConfig(workspace, { "visibility:visibility": "private" });
  const up = succeeded(await withPreview(workspace, "up"));
  expect(
    up
      .update!.steps.filter(
        (s) => s.op !== "same" && !s.type.startsWith("pulumi:providers:"),
      )
      .map((s) => s.op)
      .sort(),
  ).toEqual(["update"]);
  // The CLI computes the changed keys for its display from the inputs, but replaceOnChanges
  // acts only on keys the provider's diff names, and the dynamic-provider host names none.
  expect(up.output).toContain("[diff: ~visibility]");
  expect(
    emulator.getSecret("actions-org", "acme", "REPLACE_ON_VISIBILITY")
      ?.visibility,
  ).toBe("private");
});

test("--parallel 64: 60 secrets created at once, each with its value; destroy deletes them all", async () => {
  const workspace = await programWorkspace({
    name: "parallel",
    source: `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
for (let i = 0; i < 60; i++)
  new RepoSecret(\`s\${i}\`, { repository: ["api", "web", "infra"][i % 3], secretName: \`PARALLEL_\${i}\`, value: pulumi.secret(\`parallel-value-\${i}\`) });
`,
    config: { "github:owner": "acme" },
    env: { GITHUB_TOKEN: emulator.token, GITHUB_BASE_URL: emulator.url },
  });
  workspaces.push(workspace);
  emulator.resetLog();
  const up = succeeded(await withPreview(workspace, "up", { parallel: 64 }));
  expect(
    up.update!.steps.filter(
      (s) => s.op === "create" && s.type.includes("RepoSecret"),
    ),
  ).toHaveLength(60);
  // One key per repository, one PUT per secret, nothing else.
  expect(emulator.logSummary().byMethod).toEqual({ GET: 3, PUT: 60 });
  for (let i = 0; i < 60; i++)
    expect(
      emulator.getSecret(
        "actions-repo",
        `acme/${["api", "web", "infra"][i % 3]}`,
        `PARALLEL_${i}`,
      )?.value,
    ).toBe(`parallel-value-${i}`);
  const secrets = Array.from({ length: 60 }, (_, i) => `parallel-value-${i}`);
  expect(leaksIn(up.output + backendText(workspace), secrets)).toEqual([]);
  succeeded(await withPreview(workspace, "destroy", { parallel: 64 }));
  for (const repository of ["api", "web", "infra"])
    expect(
      emulator
        .listSecrets("actions-repo", `acme/${repository}`)
        .filter((s) => s.name.startsWith("PARALLEL_")),
    ).toEqual([]);
});

test("the emulator saw no request or response that breaks GitHub's OpenAPI description", () => {
  expect(emulator.schemaViolations()).toEqual([]);
});
