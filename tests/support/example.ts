// The examples/ programs, run by the real Pulumi CLI as a user runs them (each `up`, `refresh`
// and `destroy` a preview, then the update) against the GitHub emulator: up → `preview
// --expect-no-changes` and a second up, neither sending a request → `pulumi config set --secret`
// of one value → up → refresh → destroy, checking GitHub's decrypted contents after each step and
// scanning everything the CLI printed and stored (`pulumi stack export`, the backend's files) for
// plaintext values and the token. One test file per example and stack (tests/e2e/examples/), so
// jest runs them side by side.
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  checkSecrets,
  demoPassphrase,
  type ExportedStack,
} from "../../tools/demo/proof";
import {
  createWorkspace,
  deploy,
  exportStack,
  removeWorkspace,
  setConfig,
  stackConfig,
  withPreview,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { leaksIn } from "./leaks";
import { backendText, succeeded } from "./pulumi";
import { repositoryRoot } from "./serialized-provider";

export interface ExampleCase {
  example: string;
  stack: string;
  /** Secret resources the program declares. */
  secrets: number;
  /** The config key edited by the "edit" step. */
  edited: string;
  /** Repositories (and their environments) the program expects to exist in organization acme. */
  repositories: { name: string; environments?: string[] }[];
}

// Each step is one or two real deployments (a CLI, a program and a provider process each).
jest.setTimeout(240_000);

/** The steps of one example and stack, as the tests of one file. */
export function describeExample({
  example,
  stack,
  secrets,
  edited,
  repositories,
}: ExampleCase): void {
  let emulator: Emulator;
  let workspace: Workspace;
  /** The stack's config as the CLI decrypts it: what the program reads. */
  let config: Record<string, string> = {};
  const editedValue = `edited-${example}-${stack}-value-\u2713`;
  const project = example;

  beforeAll(async () => {
    emulator = await startEmulator();
    for (const repository of repositories) {
      if (!emulator.world.repository("acme", repository.name))
        emulator.addRepository("acme", { name: repository.name });
      for (const environment of repository.environments ?? [])
        emulator.addEnvironment("acme", repository.name, environment);
    }
    workspace = createWorkspace({
      project: path.join(repositoryRoot, "examples", example),
      stack,
      passphrase: demoPassphrase,
      env: { GITHUB_TOKEN: emulator.token, GITHUB_BASE_URL: emulator.url },
    });
  });
  afterAll(async () => {
    await emulator?.close();
    if (workspace) removeWorkspace(workspace);
  });

  const plaintexts = () => [
    ...Object.entries(config)
      .filter(
        ([key]) => !key.startsWith("github:") && !key.endsWith(":repository"),
      )
      .map(([, v]) => v),
    editedValue,
    emulator.token,
  ];
  const expected = (resource: string) => config[`${project}:${resource}`];

  /** Nothing the CLI printed or stored holds a plaintext value or the token. */
  async function expectNoLeaks(output: string): Promise<ExportedStack> {
    const exported = await exportStack<ExportedStack>(workspace);
    for (const [what, text] of [
      ["CLI output", output],
      ["pulumi stack export", JSON.stringify(exported)],
      ["backend files", backendText(workspace)],
    ] as const) {
      expect({ what, leaks: leaksIn(text, plaintexts()) }).toEqual({
        what,
        leaks: [],
      });
    }
    return exported;
  }

  function expectGitHubMatches(exported: ExportedStack): void {
    const checks = checkSecrets(emulator, stack, exported, expected);
    expect(checks).toHaveLength(secrets);
    expect(checks.filter((c) => !c.matches)).toEqual([]);
  }

  describe(`examples/${example}, stack ${stack}, through the real Pulumi CLI`, () => {
    test("up creates every secret with the stack's value", async () => {
      const up = succeeded(await withPreview(workspace, "up"));
      config = await stackConfig(workspace);
      expect(
        up.update!.steps.filter(
          (s) => s.op === "create" && s.type.includes("github-secrets"),
        ),
      ).toHaveLength(secrets);
      expectGitHubMatches(await expectNoLeaks(up.output));
    });

    test("preview --expect-no-changes and a second up change nothing and send no request to GitHub", async () => {
      emulator.resetLog();
      const preview = succeeded(
        await deploy(workspace, "preview", { expectNoChanges: true }),
      );
      const up = succeeded(await withPreview(workspace, "up"));
      expect(up.update!.steps.filter((s) => s.op !== "same")).toEqual([]);
      expect(emulator.logSummary().total).toBe(0);
      await expectNoLeaks(preview.output + up.output);
    });

    test("pulumi config set --secret of one value: up writes it in place, one PUT", async () => {
      await setConfig(workspace, { [edited]: editedValue }, { secret: true });
      config = await stackConfig(workspace);
      emulator.resetLog();
      const up = succeeded(await withPreview(workspace, "up"));
      // The engine hands a dynamic provider the whole stack config as its inputs, so a config
      // edit updates the default provider too (in place: the host has no DiffConfig).
      expect(
        up
          .update!.steps.filter((s) => s.op !== "same")
          .map((s) => [
            s.op,
            s.type.startsWith("pulumi:providers:")
              ? s.urn.replace(/^.*::/, "provider ")
              : s.name,
          ]),
      ).toEqual([
        ["update", "provider default"],
        ["update", edited],
      ]);
      expect(emulator.logSummary().byMethod.PUT).toBe(1);
      expectGitHubMatches(await expectNoLeaks(up.output));
    });

    test("refresh finds nothing changed", async () => {
      emulator.resetLog();
      // `--skip-preview` here and in destroy: the previews of refresh and destroy are run by
      // tests/e2e (nothing-lost, engine) and the demo; four examples need not repeat them.
      const refresh = succeeded(await deploy(workspace, "refresh"));
      expect(refresh.steps.filter((s) => s.op !== "same")).toEqual([]);
      expect(emulator.logSummary().byMethod.PUT ?? 0).toBe(0);
      expectGitHubMatches(await expectNoLeaks(refresh.output));
    });

    test("destroy deletes every secret", async () => {
      const before = await exportStack<ExportedStack>(workspace);
      const destroy = succeeded(await deploy(workspace, "destroy"));
      expect(
        checkSecrets(emulator, stack, before, expected).filter(
          (c) => c.present,
        ),
      ).toEqual([]);
      const after = await expectNoLeaks(destroy.output);
      expect(after.deployment.resources ?? []).toEqual([]);
    });
  });

  test("the emulator saw no request or response that breaks GitHub's OpenAPI description", () => {
    expect(emulator.schemaViolations()).toEqual([]);
  });
}
