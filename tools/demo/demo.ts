// `npm run demo`: the repo-root program (Pulumi.yaml, index.ts) for stacks dev and prod, run by
// the real Pulumi CLI (a local file backend, the passphrase secrets provider) against the local
// GitHub emulator: up, a change (`pulumi config set`: a value edited, a secret renamed, a
// visibility changed), refresh, destroy, each as the CLI runs it (a preview, then the update).
// After each step, a table proves that every secret GitHub decrypted equals the stack's value.
// Values are never printed.
import * as path from "node:path";
import { startEmulator, type Emulator } from "../github-emulator";
import {
  createWorkspace,
  exportStack,
  removeWorkspace,
  setConfig,
  stackConfig,
  withPreview,
  type Workspace,
} from "../pulumi-cli/deployments";
import {
  checkSecrets,
  demoPassphrase,
  type ExportedStack,
  type SecretCheck,
} from "./proof";

const root = path.resolve(__dirname, "../..");
const stacks = ["dev", "prod"];
/** Which config key feeds which resource of index.ts. */
const valueKeys: Record<string, string> = {
  "deploy-key": "deployKey",
  "database-url": "databaseUrl",
  "npm-token": "npmToken",
  "registry-password": "registryPassword",
  "agent-api-key": "agentApiKey",
};

/** The change step, as a user makes it: `pulumi config set` (the value with --secret). */
const change: { key: string; value: string; secret: boolean }[] = [
  {
    key: "deployKey",
    value:
      "-----BEGIN OPENSSH PRIVATE KEY-----\nrotated-demo-deploy-key\n-----END OPENSSH PRIVATE KEY-----\n",
    secret: true,
  },
  { key: "deployKeyName", value: "DEPLOY_KEY_V2", secret: false },
  { key: "npmTokenVisibility", value: "private", secret: false },
];

/** The stack's values as the CLI decrypts them, by resource name. */
async function expectedValues(
  workspace: Workspace,
): Promise<(resource: string) => string | undefined> {
  const config = await stackConfig(workspace);
  return (resource) => {
    const key = valueKeys[resource];
    return key === undefined ? undefined : config[`github-secrets-demo:${key}`];
  };
}

const exported = (workspace: Workspace) =>
  exportStack<ExportedStack>(workspace);

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
    "GitHub's decrypted value = stack's value",
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
  workspace: Workspace,
  command: "up" | "refresh" | "destroy",
  label: string,
): Promise<boolean> {
  console.log(`\n=== pulumi ${command} --stack ${workspace.stack}${label}`);
  emulator.resetLog();
  const started = Date.now();
  const before = command === "destroy" ? await exported(workspace) : undefined;
  const result = await withPreview(workspace, command, {
    onOutput: (text) => process.stdout.write(text.replace(/^(?=.)/gm, "  ")),
  });
  const requests = emulator.logSummary();
  const byMethod =
    Object.entries(requests.byMethod)
      .map(([method, n]) => `${n} ${method}`)
      .join(", ") || "none";
  console.log(
    `  -- ${((Date.now() - started) / 1000).toFixed(1)} s (a preview, then the ${command}); requests to GitHub: ${requests.total} (${byMethod})`,
  );
  if (result.exitCode !== 0) {
    console.error(
      `  FAILED: ${result.error ?? `exit code ${result.exitCode}`}`,
    );
    return false;
  }
  if (before) {
    const left = checkSecrets(
      emulator,
      workspace.stack,
      before,
      () => undefined,
    ).filter((c) => c.present);
    console.log(
      left.length === 0
        ? "  GitHub holds none of the stack's secrets any more."
        : `  LEFT BEHIND: ${left.map((c) => c.secret).join(", ")}`,
    );
    return left.length === 0;
  }
  const checks = checkSecrets(
    emulator,
    workspace.stack,
    await exported(workspace),
    await expectedValues(workspace),
  );
  console.log("");
  return printTable(checks) && checks.length === Object.keys(valueKeys).length;
}

async function main(): Promise<void> {
  const started = Date.now();
  const emulator = await startEmulator();
  // The program's repositories exist before it runs, as a user's would (see index.ts).
  for (const stack of stacks) {
    emulator.addRepository("acme", { name: `api-${stack}`, private: true });
    emulator.addRepository("acme", { name: `web-${stack}`, private: true });
    emulator.addEnvironment("acme", `api-${stack}`, stack);
  }
  const workspaces = stacks.map((stack) =>
    createWorkspace({
      project: root,
      files: ["Pulumi.yaml", "index.ts", `Pulumi.${stack}.yaml`],
      stack,
      passphrase: demoPassphrase,
      env: { GITHUB_TOKEN: emulator.token, GITHUB_BASE_URL: emulator.url },
    }),
  );
  console.log(
    `Local GitHub API emulator at ${emulator.url} (organization acme); Pulumi CLI: ${workspaces[0]!.cli.path} (${workspaces[0]!.cli.source}); program: ${path.join(root, "index.ts")}`,
  );
  let ok = true;
  try {
    for (const workspace of workspaces)
      ok = (await step(emulator, workspace, "up", "")) && ok;
    for (const workspace of workspaces) {
      for (const { key, value, secret } of change)
        await setConfig(workspace, { [key]: value }, { secret });
      ok =
        (await step(
          emulator,
          workspace,
          "up",
          ` (after pulumi config set ${change.map((c) => c.key).join(", ")})`,
        )) && ok;
    }
    for (const workspace of workspaces)
      ok = (await step(emulator, workspace, "refresh", "")) && ok;
    for (const workspace of workspaces)
      ok = (await step(emulator, workspace, "destroy", "")) && ok;
  } finally {
    await emulator.close();
    if (ok) for (const workspace of workspaces) removeWorkspace(workspace);
  }
  console.log(
    `\n${ok ? "Demo complete" : `DEMO FAILED (the stacks are kept in ${path.dirname(path.dirname(workspaces[0]!.dir))})`} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
