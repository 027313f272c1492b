// Through the real Pulumi CLI, as `pulumi up` runs: a provider host killed in the middle of an up,
// then secrets deleted and edited outside Pulumi. Each time the next run converges: every
// secret present once, with the declared value, and state agreeing with GitHub.
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  checkSecrets,
  nameOf,
  type ExportedStack,
} from "../../tools/demo/proof";
import {
  exportStack,
  removeWorkspace,
  withPreview,
  type Update,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { providerHostsIn } from "../support/processes";
import { programWorkspace } from "../support/pulumi";

const count = 40;
const program = `
import * as pulumi from "@pulumi/pulumi";
import { RepoSecret } from "pulumi-github-secrets";
const config = new pulumi.Config();
const generation = config.require("generation");
for (let i = 0; i < ${count}; i++) {
  new RepoSecret(\`secret-\${i}\`, {
    repository: "infra",
    secretName: \`RECOVERY_\${i}\`,
    value: pulumi.secret(\`recovery-value-\${i}-\${generation}\`),
    onDrift: i === 1 ? "ignore" : "overwrite",
  });
}
`;
const expected = (generation: string) => (resource: string) =>
  `recovery-value-${resource.replace("secret-", "")}-${generation}`;

let emulator: Emulator;
let workspace: Workspace;

beforeAll(async () => {
  emulator = await startEmulator({ latencyMs: 150 });
  workspace = await programWorkspace({
    name: "recovery",
    source: program,
    config: { "github:owner": "acme", "recovery:generation": "1" },
    env: { GITHUB_TOKEN: emulator.token, GITHUB_BASE_URL: emulator.url },
  });
});
afterAll(async () => {
  await emulator?.close();
  if (workspace) removeWorkspace(workspace);
});

function run(
  command: "up" | "refresh",
  options: { parallel?: number } = {},
): Promise<Update> {
  return withPreview(workspace, command, {
    ...(options.parallel ? { parallel: options.parallel } : {}),
  });
}

const exported = () => exportStack<ExportedStack>(workspace);
const changes = (result: Update) =>
  Object.fromEntries(
    result
      .update!.steps.filter(
        (s) => s.op !== "same" && !s.type.startsWith("pulumi:providers:"),
      )
      .map((s) => [s.name, s.op]),
  );

async function expectConverged(result: Update): Promise<void> {
  if (result.exitCode !== 0) throw new Error(result.error ?? result.output);
  const checks = checkSecrets(emulator, "dev", await exported(), expected("1"));
  expect(checks).toHaveLength(count);
  expect(checks.filter((c) => !c.matches)).toEqual([]);
  expect(
    emulator
      .listSecrets("actions-repo", "acme/infra")
      .filter((s) => s.name.startsWith("RECOVERY_")),
  ).toHaveLength(count);
}

test("the provider host killed with SIGKILL in the middle of an up: the next up converges", async () => {
  const running = run("up", { parallel: 4 });
  // Wait until some secrets exist, then kill the provider host as an OOM killer would.
  let killed = 0;
  while (killed === 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (emulator.listSecrets("actions-repo", "acme/infra").length >= 5) {
      for (const pid of providerHostsIn(workspace.dir)) {
        process.kill(pid, "SIGKILL");
        killed++;
      }
    }
  }
  const interrupted = await running;
  expect(interrupted.exitCode).not.toBe(0);
  const recorded =
    (await exported()).deployment.resources?.filter((r) =>
      r.type.endsWith(":RepoSecret"),
    ).length ?? 0;
  expect(recorded).toBeGreaterThan(0);
  expect(recorded).toBeLessThan(count);

  await expectConverged(await run("up"));
  const again = await run("up");
  expect(changes(again)).toEqual({});
}, 240_000);

test("deleted and edited outside Pulumi: refresh notices, the next up restores, onDrift ignore is left alone", async () => {
  emulator.deleteSecret("actions-repo", "acme/infra", "RECOVERY_0");
  emulator.editSecret("actions-repo", "acme/infra", "RECOVERY_1", {
    value: "edited-in-the-ui-1",
  });
  emulator.editSecret("actions-repo", "acme/infra", "RECOVERY_2", {
    value: "edited-in-the-ui-2",
  });

  const refreshed = await run("refresh");
  expect(refreshed.exitCode).toBe(0);
  const changed = changes(refreshed);
  // On failure the diff shows why refresh marked each secret (drift reason and timestamps).
  const why = Object.fromEntries(
    ((await exported()).deployment.resources ?? []).flatMap((r) => {
      const { drift, writtenAt, updatedAt } = (r.outputs ?? {}) as Record<
        string,
        unknown
      >;
      return drift ? [[nameOf(r), { drift, writtenAt, updatedAt }]] : [];
    }),
  );
  // Refresh shows what differs from the program: the engine diffs the refreshed state against
  // the stored inputs, and secret-1's onDrift "ignore" accepts its edit, so it shows no change
  // (its drift is still recorded).
  expect({ changed, why }).toEqual({
    changed: {
      "secret-0": "delete",
      "secret-2": "update",
    },
    why: { "secret-1": expect.anything(), "secret-2": expect.anything() },
  });

  emulator.resetLog();
  const restored = await run("up");
  expect(restored.exitCode).toBe(0);
  const steps = changes(restored);
  expect(steps).toEqual({ "secret-0": "create", "secret-2": "update" });
  expect(emulator.logSummary().byMethod.PUT).toBe(2);
  expect(emulator.logSummary().byMethod.DELETE ?? 0).toBe(0);
  expect(
    emulator.getSecret("actions-repo", "acme/infra", "RECOVERY_0")?.value,
  ).toBe("recovery-value-0-1");
  expect(
    emulator.getSecret("actions-repo", "acme/infra", "RECOVERY_2")?.value,
  ).toBe("recovery-value-2-1");
  expect(
    emulator.getSecret("actions-repo", "acme/infra", "RECOVERY_1")?.value,
  ).toBe("edited-in-the-ui-1");
}, 240_000);
