// Who owns a secret, through the local engine: two resources aimed at one secret are refused
// before either writes over the other, and a resource renamed in the program keeps its secret
// (the engine creates the new resource, then deletes the old one: that delete must not remove it).
import * as fs from "node:fs";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { runEngine, type EngineResult } from "../../tools/local-engine";
import { writeProgram } from "../support/program";

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
let cwd: string;
beforeAll(async () => {
  emulator = await startEmulator();
  cwd = writeProgram("ownership", program, {
    "github:owner": "acme",
    "ownership:resourceName": "first-name",
    "ownership:duplicate": "no",
  });
});
afterAll(async () => {
  await emulator?.close();
  fs.rmSync(cwd, { recursive: true, force: true });
});

function up(config: Record<string, string>): Promise<EngineResult> {
  const env: NodeJS.ProcessEnv = {
    GITHUB_TOKEN: emulator.token,
    GITHUB_BASE_URL: emulator.url,
  };
  for (const [key, value] of Object.entries(config))
    env[`PULUMI_CONFIG_OWNERSHIP_${key.toUpperCase()}`] = value;
  return runEngine({ command: "up", cwd, stack: "dev", env });
}

test("two resources aimed at one secret (names in any case): a clear error, no overwrite", async () => {
  expect((await up({})).exitCode).toBe(0);
  emulator.resetLog();
  const result = await up({ DUPLICATE: "yes" });
  expect(result.exitCode).not.toBe(0);
  expect(result.errors.join("\n")).toMatch(
    /RepoSecret SHARED_TOKEN in repository acme\/web is also declared by resource "first-name"; two resources would overwrite each other/,
  );
  expect(emulator.logSummary().byMethod.PUT ?? 0).toBe(0);
  expect(
    emulator.getSecret("actions-repo", "acme/web", "SHARED_TOKEN")?.value,
  ).toBe("owned-value-1");
}, 120_000);

test("a resource renamed in the program keeps its secret", async () => {
  const result = await up({ RESOURCENAME: "renamed" });
  expect(result.exitCode).toBe(0);
  const ops = Object.fromEntries(
    result.steps.filter((s) => s.op !== "same").map((s) => [s.name, s.op]),
  );
  expect(ops).toEqual({ renamed: "create", "first-name": "delete" });
  expect(
    emulator.getSecret("actions-repo", "acme/web", "SHARED_TOKEN")?.value,
  ).toBe("owned-value-1");
  // And the next run, in a new provider process, owns and can delete it normally.
  const destroyed = await runEngine({
    command: "destroy",
    cwd,
    stack: "dev",
    env: { GITHUB_TOKEN: emulator.token, GITHUB_BASE_URL: emulator.url },
  });
  expect(destroyed.exitCode).toBe(0);
  expect(
    emulator.getSecret("actions-repo", "acme/web", "SHARED_TOKEN"),
  ).toBeUndefined();
}, 120_000);
