// The same example with the real Pulumi CLI (local file backend, passphrase secrets provider),
// when a `pulumi` binary is on PATH. It cannot be installed here (no internet), so on this
// project's machines the test is reported as skipped, never as passed.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../tools/github-emulator";
import { leaksIn } from "../support/leaks";
import { repositoryRoot } from "../support/serialized-provider";

const pulumi =
  spawnSync("pulumi", ["version"], { encoding: "utf8" }).status === 0
    ? "pulumi"
    : undefined;
const withCli = pulumi ? test : test.skip;

let emulator: Emulator | undefined;
afterAll(async () => {
  await emulator?.close();
});

withCli(
  "examples/per-environment-stacks with the real Pulumi CLI: up, no-op preview, destroy" +
    (pulumi ? "" : " (skipped: no `pulumi` binary on PATH)"),
  async () => {
    emulator = await startEmulator();
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-backend-"));
    const cwd = path.join(repositoryRoot, "examples", "per-environment-stacks");
    const env = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      GITHUB_TOKEN: emulator.token,
      GITHUB_BASE_URL: emulator.url,
    };
    const cli = (...args: string[]) =>
      execFileSync("pulumi", [...args, "--non-interactive"], {
        cwd,
        env,
        encoding: "utf8",
      });
    const stack = "cli-e2e";
    cli("stack", "init", stack);
    try {
      cli("config", "set", "github:owner", "acme", "--stack", stack);
      cli("config", "set", "repository", "api", "--stack", stack);
      emulator.addEnvironment("acme", "api", stack);
      const values = {
        databasePassword: "cli-db-password-0001",
        stripeKey: "sk_cli_stripe_0001",
        slackWebhook: "https://hooks.example/cli-0001",
      };
      for (const [key, value] of Object.entries(values))
        cli("config", "set", "--secret", key, value, "--stack", stack);
      const up = cli("up", "--yes", "--stack", stack);
      expect(
        emulator.getSecret(
          "actions-environment",
          `acme/api/${stack}`,
          "DATABASE_PASSWORD",
        )?.value,
      ).toBe(values.databasePassword);
      const preview = cli("preview", "--expect-no-changes", "--stack", stack);
      const exported = cli("stack", "export", "--stack", stack);
      expect(
        leaksIn(up + preview + exported, [
          ...Object.values(values),
          emulator.token,
        ]),
      ).toEqual([]);
      cli("destroy", "--yes", "--stack", stack);
      expect(
        emulator.getSecret(
          "actions-environment",
          `acme/api/${stack}`,
          "DATABASE_PASSWORD",
        ),
      ).toBeUndefined();
    } finally {
      cli("stack", "rm", stack, "--yes", "--force");
    }
  },
  300_000,
);
