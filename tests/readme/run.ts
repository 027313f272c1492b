// README programs run as a user runs them: a project folder (Pulumi.yaml, index.ts, a stack) in
// a workspace of the real Pulumi CLI (tests/support/pulumi.ts), the package installed in its
// node_modules as `npm pack` makes it, so the program, the serialized provider's
// `require("pulumi-github-secrets/provider")` and the plugin path of Pulumi.yaml all take the
// packed package, not this repository's source tree.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from "../../tools/github-emulator";
import {
  removeWorkspace,
  type Workspace,
} from "../../tools/pulumi-cli/deployments";
import { installPacked } from "../support/packed";
import { programWorkspace, type ProgramOptions } from "../support/pulumi";

/** Workspaces of the test file, removed after its tests. */
const workspaces: Workspace[] = [];
afterAll(() => {
  for (const workspace of workspaces.splice(0)) removeWorkspace(workspace);
});

/** An emulator for the tests of the describe block (or file) that asks, closed after them. */
export function emulatorFor(options?: EmulatorOptions): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return () => emulator!;
}

/** A program's workspace with the packed package installed; removed after the file's tests. */
export async function packedWorkspace(
  options: ProgramOptions & {
    /** More files of the project folder (an .env file), by name. */
    files?: Record<string, string>;
  },
): Promise<Workspace> {
  const { files, ...program } = options;
  const workspace = await programWorkspace(program);
  workspaces.push(workspace);
  installPacked(workspace.dir);
  for (const [name, text] of Object.entries(files ?? {}))
    fs.writeFileSync(path.join(workspace.dir, name), text);
  return workspace;
}

/** A developer's own GitHub settings must not reach the programs under test. */
export const noGitHubEnvironment: NodeJS.ProcessEnv = {
  GITHUB_TOKEN: undefined,
  GITHUB_OWNER: undefined,
  GITHUB_BASE_URL: undefined,
};
