// The examples/ programs, run as `pulumi up` would run them (through the local engine and
// Pulumi's own dynamic-provider host: each command a preview, then the deployment) against the
// GitHub emulator: up → a second up that changes nothing and sends no request → an edit → up →
// refresh → destroy, checking GitHub's decrypted contents after each step and scanning
// everything written or printed for plaintext values. One test file per example and stack
// (tests/e2e/examples/), so jest runs them side by side.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import {
  configEnvName,
  loadProject,
  loadStackConfig,
  runEngine,
  stateDir,
  type Command,
  type EngineResult,
} from "../../tools/local-engine";
import {
  checkSecrets,
  demoPassphrase,
  emulatedGitHub,
} from "../../tools/demo/emulated-github";
import { leaksIn } from "./leaks";
import { repositoryRoot } from "./serialized-provider";

export interface ExampleCase {
  example: string;
  stack: string;
  /** Secret resources the program declares. */
  secrets: number;
  /** The config key edited by the "edit" step. */
  edited: string;
}

/** The steps of one example and stack, as the tests of one file. */
export function describeExample({
  example,
  stack,
  secrets,
  edited,
}: ExampleCase): void {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  describe(`examples/${example}, stack ${stack}`, () => {
    const cwd = path.join(repositoryRoot, "examples", example);
    const project = (
      parse(fs.readFileSync(path.join(cwd, "Pulumi.yaml"), "utf8")) as {
        name: string;
      }
    ).name;
    // The stack file holds the values encrypted (Pulumi's passphrase provider).
    const config = loadStackConfig(loadProject(cwd), stack, {
      PULUMI_CONFIG_PASSPHRASE: demoPassphrase,
    }).values;
    const editedValue = `edited-${example}-${stack}-value-\u2713`;
    const overrides: Record<string, string> = {};
    const expected = (resource: string) =>
      overrides[resource] ?? config[`${project}:${resource}`];
    const plaintexts = () => [
      ...Object.entries(config)
        .filter(
          ([key]) => !key.startsWith("github:") && !key.endsWith(":repository"),
        )
        .map(([, v]) => v),
      editedValue,
    ];

    async function run(command: Command): Promise<EngineResult> {
      emulator.resetLog();
      const env: NodeJS.ProcessEnv = {
        GITHUB_TOKEN: emulator.token,
        GITHUB_BASE_URL: emulator.url,
        PULUMI_CONFIG_PASSPHRASE: demoPassphrase,
      };
      for (const [key, value] of Object.entries(overrides))
        env[configEnvName(`${project}:${key}`)] = value;
      const result = await runEngine({
        command,
        cwd,
        stack,
        env,
        onResource: emulatedGitHub(emulator),
        // Every up previews first, as the CLI does; refresh and destroy here skip theirs (their
        // previews are exercised in tests/local-engine and tests/e2e/nothing-lost).
        skipPreview: command !== "up",
      });
      if (result.exitCode !== 0)
        throw new Error(
          `${command} failed: ${result.errors.join("; ")}\n${result.output}`,
        );
      // Nothing written or printed holds a plaintext value or the token.
      const stateFile = path.join(stateDir(cwd), `${stack}.json`);
      const written = fs.existsSync(stateFile)
        ? fs.readFileSync(stateFile, "utf8")
        : "";
      for (const [what, text] of [
        ["state file", written],
        ["engine output", result.output],
        ["provider host output", result.hostOutput],
      ] as const) {
        expect({
          what,
          leaks: leaksIn(text, [...plaintexts(), emulator.token]),
        }).toEqual({ what, leaks: [] });
      }
      return result;
    }

    function expectGitHubMatches(result: EngineResult): void {
      const checks = checkSecrets(emulator, result.state, expected);
      expect(checks).toHaveLength(secrets);
      expect(checks.filter((c) => !c.matches)).toEqual([]);
    }

    beforeAll(() => {
      fs.rmSync(path.join(stateDir(cwd), `${stack}.json`), { force: true });
      fs.rmSync(path.join(stateDir(cwd), `${stack}.key`), { force: true });
    });

    test("up creates every secret with the program's value", async () => {
      const result = await run("up");
      expect(
        result.steps.filter(
          (s) => s.op === "create" && s.type.includes("github-secrets"),
        ),
      ).toHaveLength(secrets);
      expectGitHubMatches(result);
    });

    test("a second up changes nothing and sends no request to GitHub", async () => {
      const result = await run("up");
      expect(result.steps.filter((s) => s.op !== "same")).toEqual([]);
      expect(emulator.logSummary().total).toBe(0);
    });

    test("an edited value is written in place, one PUT", async () => {
      overrides[edited] = editedValue;
      const result = await run("up");
      expect(
        result.steps.filter((s) => s.op !== "same").map((s) => [s.op, s.name]),
      ).toEqual([["update", edited]]);
      expect(emulator.logSummary().byMethod.PUT).toBe(1);
      expectGitHubMatches(result);
    });

    test("refresh finds nothing changed", async () => {
      const result = await run("refresh");
      expect(result.steps.filter((s) => s.op !== "same")).toEqual([]);
      expect(emulator.logSummary().byMethod.PUT ?? 0).toBe(0);
      expectGitHubMatches(result);
    });

    test("destroy deletes every secret", async () => {
      const stateFile = path.join(stateDir(cwd), `${stack}.json`);
      const before = JSON.parse(fs.readFileSync(stateFile, "utf8"));
      const result = await run("destroy");
      expect(
        checkSecrets(emulator, before, expected).filter((c) => c.present),
      ).toEqual([]);
      expect(result.state?.resources ?? []).toEqual([]);
    });
  });

  test("the emulator saw no request or response that breaks GitHub's OpenAPI description", () => {
    expect(emulator.schemaViolations()).toEqual([]);
  });
}
