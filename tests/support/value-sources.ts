// The four valueFrom sources every native program declares (tests/native: TypeScript, Python, Go),
// one per scope: a variable for a repository secret (VF_ENV in web), a file for an environment
// secret (VF_FILE in api/prod), a dotenv key for an organization secret with selected
// repositories (VF_DOTENV), a command for the user's Codespaces secret (VF_COMMAND). Each
// program reads them from the same places: SOURCED_ENV and SOURCED_COMMAND of the pulumi
// process, secrets/token.txt and .env's VF_DOTENV in the project folder.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../../tools/github-emulator";
import { valueAndHashes } from "./leaks";

export interface SourcedValues {
  env: string;
  file: string;
  dotenv: string;
  command: string;
}

/** What the sources hold at a revision; `prefix` keeps each program's values its own. */
export function sourcedValues(prefix: string, revision: number): SourcedValues {
  return {
    env: `${prefix}-vf-env-${revision}`,
    file: `${prefix}-vf-file-${revision}`,
    dotenv: `${prefix}-vf-dotenv-${revision}`,
    command: `${prefix}-vf-command-${revision}`,
  };
}

/** The pulumi process's variables that hold `values` (the variable's, and the command's). */
export function sourcesEnv(values: SourcedValues): NodeJS.ProcessEnv {
  return { SOURCED_ENV: values.env, SOURCED_COMMAND: values.command };
}

/** The project folder's files that hold `values`. */
export function writeSourceFiles(dir: string, values: SourcedValues): void {
  fs.mkdirSync(path.join(dir, "secrets"), { recursive: true });
  fs.writeFileSync(path.join(dir, "secrets/token.txt"), values.file);
  fs.writeFileSync(path.join(dir, ".env"), `VF_DOTENV=${values.dotenv}\n`);
}

/** Every source gone: the files removed (the variables are the caller's to leave out). */
export function removeSourceFiles(dir: string): void {
  for (const file of [".env", "secrets/token.txt"])
    fs.rmSync(path.join(dir, file));
}

/**
 * `current` with the sources named in `changed` holding their value of `revision`, the files
 * rewritten; the variables are the caller's to pass (sourcesEnv).
 */
export function changeSources(
  dir: string,
  prefix: string,
  current: SourcedValues,
  changed: (keyof SourcedValues)[],
  revision = 2,
): SourcedValues {
  const next = sourcedValues(prefix, revision);
  const values = { ...current };
  for (const source of changed) values[source] = next[source];
  writeSourceFiles(dir, values);
  return values;
}

/** Where each source's secret is written. */
export const sourcedPaths: Record<keyof SourcedValues, string> = {
  env: "/repos/acme/web/actions/secrets/VF_ENV",
  file: "/repos/acme/api/environments/prod/secrets/VF_FILE",
  dotenv: "/orgs/acme/actions/secrets/VF_DOTENV",
  command: "/user/codespaces/secrets/VF_COMMAND",
};

/** The writes GitHub got since its log was reset, "METHOD path", sorted. */
export function writesTo(github: Emulator): string[] {
  return github
    .requestLog()
    .filter((entry) => entry.method !== "GET")
    .map((entry) => `${entry.method} ${entry.path}`)
    .sort();
}

/** One PUT for each of `changed`'s secrets, as writesTo lists them. */
export function putsOf(changed: (keyof SourcedValues)[]): string[] {
  return changed.map((source) => `PUT ${sourcedPaths[source]}`).sort();
}

/** The four secrets as GitHub decrypted them. */
export function sourcedOnGitHub(
  github: Emulator,
): Partial<Record<keyof SourcedValues, string>> {
  return {
    env: github.getSecret("actions-repo", "acme/web", "VF_ENV")?.value,
    file: github.getSecret("actions-environment", "acme/api/prod", "VF_FILE")
      ?.value,
    dotenv: github.getSecret("actions-org", "acme", "VF_DOTENV")?.value,
    command: github.getSecret("codespaces-user", "octocat", "VF_COMMAND")
      ?.value,
  };
}

/** sourcedOnGitHub once every secret is gone. */
export const noneOnGitHub = {
  env: undefined,
  file: undefined,
  dotenv: undefined,
  command: undefined,
};

/** What a scan looks for: every value of the first `revisions` and its unsalted hashes. */
export function sourcedLeaks(prefix: string, revisions = 2): string[] {
  return Array.from({ length: revisions }, (_, i) =>
    Object.values(sourcedValues(prefix, i + 1)).flatMap(valueAndHashes),
  ).flat();
}
