// Test helpers around real Pulumi workspaces: throwaway programs, config edits, every file of the
// backend (for leak scans), and deployments that must pass.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import {
  executableName,
  pack,
  packageVersion,
  pluginName,
} from "../../tools/plugin-archive";
import { onPath } from "../../tools/pulumi-cli";
import {
  createWorkspace,
  exportStack,
  pulumi,
  setConfig,
  type Deployment,
  type Run,
  type Update,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { leaksIn } from "./leaks";
import { repositoryRoot } from "./serialized-provider";

/** Every file the backend holds (checkpoints, their backups, history), as one text. */
export function backendText(workspace: Workspace): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) texts.push(fs.readFileSync(file, "latin1"));
    }
  };
  walk(workspace.backendDir);
  return texts.join("\n");
}

/**
 * Nothing the CLI printed (`output`) or stored (`pulumi stack export`, every backend file) holds
 * one of `secrets`; with `showSecrets`, not even the state decrypted
 * (`pulumi stack export --show-secrets`), for values that must never enter it at all.
 */
export async function expectNoLeaks(
  workspace: Workspace,
  output: string,
  secrets: readonly string[],
  options: { showSecrets?: boolean } = {},
): Promise<void> {
  const exported = JSON.stringify(await exportStack(workspace));
  const decrypted = options.showSecrets
    ? (await pulumi(workspace, ["stack", "export", "--show-secrets"])).stdout
    : "";
  for (const [what, text] of [
    ["pulumi stack export", exported],
    ["pulumi stack export --show-secrets", decrypted],
    ["backend files", backendText(workspace)],
    ["output", output],
  ] as const)
    expect({ what, leaks: leaksIn(text, secrets) }).toEqual({
      what,
      leaks: [],
    });
}

/** The deployment, or an error with the CLI's output when it failed. */
export function succeeded<T extends Deployment | Update>(result: T): T {
  if (result.exitCode !== 0)
    throw new Error(
      `${result.error ?? `exit code ${result.exitCode}`}\n${result.output}`,
    );
  return result;
}

export interface ProgramOptions {
  /** Project name (Pulumi.yaml), also the namespace of its config keys. */
  name: string;
  /** index.ts; none for a program of another language, run by its own Automation API. */
  source?: string;
  /** Pulumi.yaml's runtime; default nodejs. */
  runtime?: string;
  /** Plain stack config, written to Pulumi.<stack>.yaml. */
  config?: Record<string, string>;
  /** Secret stack config, set with `pulumi config set --secret` once the stack exists. */
  secrets?: Record<string, string>;
  stack?: string;
  /** Laid over process.env for every CLI call. */
  env?: NodeJS.ProcessEnv;
  /** More of Pulumi.yaml, e.g. `plugins` (nativePlugin below). */
  project?: Record<string, unknown>;
  /** Install the plugin from its release archive into the workspace's PULUMI_HOME (installPluginArchive). */
  pluginArchive?: boolean;
}

/** The folder of this repository's provider plugin (plugin/, built by `npm run build`). */
export const pluginDir = path.join(repositoryRoot, "plugin");

/** Pulumi.yaml's `plugins`: the engine runs this repository's github-secrets plugin. */
export const nativePlugin = {
  plugins: { providers: [{ name: "github-secrets", path: pluginDir }] },
};

/**
 * The provider plugin installed as a user installs a release: the archive `npm run plugin:pack`
 * writes (packed here from the current source, so the bundle under test is this one), then
 * `pulumi plugin install resource github-secrets <version> --file <archive>` into the
 * workspace's own PULUMI_HOME. Nothing of the plugin is on the workspace's PATH (the engine
 * would prefer it, and warn): programs get it from the plugin cache, by version.
 */
export async function installPluginArchive(workspace: Workspace): Promise<Run> {
  const ambient = onPath(executableName, workspace.env);
  if (ambient)
    throw new Error(
      `${ambient} is on the workspace's PATH: the engine would run it instead of the installed plugin`,
    );
  const { archive } = await pack();
  return pulumi(
    workspace,
    [
      "plugin",
      "install",
      "resource",
      pluginName,
      packageVersion(),
      "--file",
      archive,
    ],
    { stackFlag: false },
  );
}

/**
 * A throwaway program folder laid out as a user's (Pulumi.yaml, index.ts, a stack file) in a
 * workspace of its own, its stack initialised; it resolves this repository's node_modules.
 */
export async function programWorkspace(
  options: ProgramOptions,
): Promise<Workspace> {
  const stack = options.stack ?? "dev";
  const source = fs.mkdtempSync(path.join(os.tmpdir(), `${options.name}-`));
  try {
    fs.writeFileSync(
      path.join(source, "Pulumi.yaml"),
      stringify({
        name: options.name,
        runtime: options.runtime ?? "nodejs",
        ...(options.source === undefined ? {} : { main: "index.ts" }),
        ...options.project,
      }),
    );
    if (options.source !== undefined)
      fs.writeFileSync(path.join(source, "index.ts"), options.source);
    fs.writeFileSync(
      path.join(source, `Pulumi.${stack}.yaml`),
      stringify({ config: options.config ?? {} }),
    );
    const workspace = createWorkspace({
      project: source,
      stack,
      passphrase: "e2e-passphrase",
      ...(options.env ? { env: options.env } : {}),
    });
    await pulumi(workspace, ["stack", "init", stack], { stackFlag: false });
    await setConfig(workspace, options.secrets ?? {}, { secret: true });
    if (options.pluginArchive) await installPluginArchive(workspace);
    return workspace;
  } finally {
    fs.rmSync(source, { recursive: true, force: true });
  }
}
