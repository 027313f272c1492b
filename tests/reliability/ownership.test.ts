// Who owns a secret, through the real Pulumi CLI: two resources aimed at one secret are refused
// before either writes over the other, and a resource renamed in the program keeps its secret
// (the engine creates the new resource, then deletes the old one: that delete must not remove it).
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  removeWorkspace,
  setConfig,
  withPreview,
  type Update,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { programWorkspace } from "../support/pulumi";

const program = `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
const config = new pulumi.Config();
new RepoSecret(config.require("resourceName"), { repository: "web", secretName: "SHARED_TOKEN", value: pulumi.secret("owned-value-1") });
if (config.get("duplicate") === "yes") {
  new RepoSecret("second-owner", { repository: "web", secretName: "shared_token", value: pulumi.secret("owned-value-2") });
}
`;

let emulator: Emulator;
let workspace: Workspace;
beforeAll(async () => {
  emulator = await startEmulator();
  workspace = await programWorkspace({
    name: "ownership",
    source: program,
    config: {
      "github:owner": "acme",
      "ownership:resourceName": "first-name",
      "ownership:duplicate": "no",
    },
    env: { GITHUB_TOKEN: emulator.token, GITHUB_BASE_URL: emulator.url },
  });
});
afterAll(async () => {
  await emulator?.close();
  if (workspace) removeWorkspace(workspace);
});

async function up(config: Record<string, string>): Promise<Update> {
  await setConfig(
    workspace,
    Object.fromEntries(
      Object.entries(config).map(([key, value]) => [`ownership:${key}`, value]),
    ),
  );
  return withPreview(workspace, "up");
}

test("two resources aimed at one secret (names in any case): a clear error, no overwrite", async () => {
  expect((await up({})).exitCode).toBe(0);
  emulator.resetLog();
  const result = await up({ duplicate: "yes" });
  expect(result.exitCode).not.toBe(0);
  // The program registers both at once, so the engine may check either first: the refused one
  // names the other. The rule, not the order, is what this pins.
  expect(result.output).toMatch(
    /RepoSecret SHARED_TOKEN in repository acme\/web is also declared by resource "(first-name|second-owner)"; two resources would overwrite each other/,
  );
  expect(emulator.logSummary().byMethod.PUT ?? 0).toBe(0);
  expect(
    emulator.getSecret("actions-repo", "acme/web", "SHARED_TOKEN")?.value,
  ).toBe("owned-value-1");
}, 240_000);

test("a resource renamed in the program keeps its secret", async () => {
  const result = await up({ duplicate: "no", resourceName: "renamed" });
  expect(result.exitCode).toBe(0);
  const ops = Object.fromEntries(
    result
      .update!.steps.filter(
        (s) => s.op !== "same" && !s.type.startsWith("pulumi:providers:"),
      )
      .map((s) => [s.name, s.op]),
  );
  expect(ops).toEqual({ renamed: "create", "first-name": "delete" });
  expect(
    emulator.getSecret("actions-repo", "acme/web", "SHARED_TOKEN")?.value,
  ).toBe("owned-value-1");
  // And the next run, in a new provider process, owns and can delete it normally.
  const destroyed = await withPreview(workspace, "destroy");
  expect(destroyed.exitCode).toBe(0);
  expect(
    emulator.getSecret("actions-repo", "acme/web", "SHARED_TOKEN"),
  ).toBeUndefined();
}, 240_000);
