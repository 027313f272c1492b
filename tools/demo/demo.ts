// `npm run demo`: the repo-root program (Pulumi.yaml) for stacks dev and prod, run through the
// local engine against the local GitHub emulator: up, a change (a value edited, a secret renamed,
// a visibility changed), refresh, destroy. After each step, a table proves that every secret
// GitHub decrypted equals the program's value. Values are never printed.
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../github-emulator";
import {
  configEnvName,
  loadProject,
  loadStackConfig,
  runEngine,
  stateDir,
  type Command,
} from "../local-engine";
import {
  checkSecrets,
  demoPassphrase,
  emulatedGitHub,
  type SecretCheck,
} from "./emulated-github";

const root = path.resolve(__dirname, "../..");
const stacks = ["dev", "prod"];
const project = "github-secrets-demo";
/** Which config key feeds which resource of index.ts. */
const valueKeys: Record<string, string> = {
  "deploy-key": "deployKey",
  "database-url": "databaseUrl",
  "npm-token": "npmToken",
  "registry-password": "registryPassword",
  "agent-api-key": "agentApiKey",
};

/** The change step: one value edited, one secret renamed, one visibility changed. */
const change: Record<string, string> = {
  deployKey:
    "-----BEGIN OPENSSH PRIVATE KEY-----\nrotated-demo-deploy-key\n-----END OPENSSH PRIVATE KEY-----\n",
  deployKeyName: "DEPLOY_KEY_V2",
  npmTokenVisibility: "private",
};

function stackConfig(
  stack: string,
  overrides: Record<string, string>,
): (resource: string) => string | undefined {
  const config = loadStackConfig(loadProject(root), stack, {
    PULUMI_CONFIG_PASSPHRASE: demoPassphrase,
  }).values;
  return (resource) => {
    const key = valueKeys[resource];
    return key === undefined
      ? undefined
      : (overrides[key] ?? config[`${project}:${key}`]);
  };
}

function overrideEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(overrides).map(([key, value]) => [
      configEnvName(`${project}:${key}`),
      value,
    ]),
  );
}

function printTable(checks: SecretCheck[]): boolean {
  const rows = checks.map((c) => [
    c.stack,
    c.kind,
    c.secret,
    c.scope,
    c.matches ? "yes" : c.present ? "NO: differs" : "NO: missing",
  ]);
  const header = [
    "stack",
    "kind",
    "secret",
    "scope",
    "GitHub's decrypted value = program's value",
  ];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => r[i]!.length)),
  );
  const line = (cells: string[]) =>
    "  " + cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ");
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
  return checks.every((c) => c.matches);
}

async function step(
  emulator: Emulator,
  command: Command,
  stack: string,
  overrides: Record<string, string>,
): Promise<boolean> {
  console.log(
    `\n=== ${command} --stack ${stack}${Object.keys(overrides).length ? ` (changed: ${Object.keys(overrides).join(", ")})` : ""}`,
  );
  emulator.resetLog();
  const started = Date.now();
  const result = await runEngine({
    command,
    cwd: root,
    stack,
    env: {
      GITHUB_TOKEN: emulator.token,
      GITHUB_BASE_URL: emulator.url,
      PULUMI_CONFIG_PASSPHRASE: demoPassphrase,
      ...overrideEnv(overrides),
    },
    onResource: emulatedGitHub(emulator),
    onOutput: (text) => console.log(`  ${text}`),
  });
  const requests = emulator.logSummary();
  const byMethod =
    Object.entries(requests.byMethod)
      .map(([method, n]) => `${n} ${method}`)
      .join(", ") || "none";
  console.log(
    `  -- ${((Date.now() - started) / 1000).toFixed(1)} s; requests to GitHub: ${requests.total} (${byMethod})`,
  );
  if (result.exitCode !== 0) {
    console.error(`  FAILED: ${result.errors.join("; ")}`);
    return false;
  }
  if (command === "destroy") {
    const left = checkSecrets(emulator, result.state, () => undefined).filter(
      (c) => c.present,
    );
    console.log(
      left.length === 0
        ? "  GitHub holds none of the stack's secrets any more."
        : `  LEFT BEHIND: ${left.map((c) => c.secret).join(", ")}`,
    );
    return left.length === 0;
  }
  const checks = checkSecrets(
    emulator,
    result.state,
    stackConfig(stack, overrides),
  );
  console.log("");
  return printTable(checks) && checks.length === Object.keys(valueKeys).length;
}

async function main(): Promise<void> {
  const started = Date.now();
  // Each demo starts from an empty GitHub, so it starts from empty stacks too.
  for (const stack of stacks) {
    for (const suffix of [".json", ".key"])
      fs.rmSync(path.join(stateDir(root), `${stack}${suffix}`), {
        force: true,
      });
  }
  const emulator = await startEmulator();
  console.log(
    `Local GitHub API emulator at ${emulator.url} (organization acme); Pulumi program: ${path.join(root, "index.ts")}`,
  );
  let ok = true;
  try {
    for (const stack of stacks)
      ok = (await step(emulator, "up", stack, {})) && ok;
    for (const stack of stacks)
      ok = (await step(emulator, "up", stack, change)) && ok;
    for (const stack of stacks)
      ok = (await step(emulator, "refresh", stack, change)) && ok;
    for (const stack of stacks)
      ok = (await step(emulator, "destroy", stack, change)) && ok;
  } finally {
    await emulator.close();
  }
  console.log(
    `\n${ok ? "Demo complete" : "DEMO FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
