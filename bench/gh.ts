// The real GitHub CLI as a peer: `gh secret set -f` of one .env file per repository, as a user
// syncs secrets with it, against the same emulated GitHub as the provider. gh keeps no state, so
// a no-op or a one-value change sets the whole file again; refresh is `gh secret list`; destroy is
// `gh secret delete NAME` per secret, eight processes at a time, as `xargs -P 8` would run them.
//
// gh talks to github.com or an Enterprise Server over HTTPS, except for the host
// `github.localhost`, which it reaches over plain HTTP at http://api.github.localhost/
// (internal/ghinstance). Its requests go to the emulator through HTTP_PROXY, which Go's HTTP
// client honours for http URLs: the emulator reads the path of the absolute-form request line.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  countMissing,
  OWNER,
  stepAfterCreate,
  type BenchEmulator,
  type ScenarioOptions,
  type ScenarioResult,
} from "./harness";
import { benchValue, scopeOf, secretName } from "./program";

const run = promisify(execFile);

/** How many gh processes run at once for per-secret commands (delete). */
const deleteProcesses = 8;

export async function runGh(
  bench: BenchEmulator,
  secrets: number,
  scopes: number,
  gh: string,
  options: ScenarioOptions = {},
): Promise<ScenarioResult> {
  const prefix = bench.prefix(`ghcli-n${secrets}-`);
  bench.addScopes(prefix, scopes);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-gh-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: work,
    GH_CONFIG_DIR: path.join(work, "config"),
    GH_HOST: "github.localhost",
    GH_TOKEN: bench.emulator.token,
    HTTP_PROXY: bench.emulator.url,
    GH_NO_UPDATE_NOTIFIER: "1",
    GH_PROMPT_DISABLED: "1",
  };
  const repo = (s: number) => `github.localhost/${OWNER}/${prefix}${s}`;
  const revisions = new Map<number, number>();
  // A failed gh (a 403/429 it does not retry) is a result to count, not an error of the bench.
  const gh_ = (args: string[]) =>
    run(gh, args, { env, maxBuffer: 64 * 1024 * 1024 }).then(
      () => true,
      () => false,
    );

  const setAll = async () => {
    await Promise.all(
      Array.from({ length: scopes }, (_, s) => {
        const lines: string[] = [];
        for (let i = 0; i < secrets; i++)
          if (scopeOf(i, scopes) === s)
            lines.push(
              `${secretName(i)}=${benchValue(i, revisions.get(i) ?? 0)}`,
            );
        const file = path.join(work, `scope-${s}.env`);
        fs.writeFileSync(file, `${lines.join("\n")}\n`);
        return gh_(["secret", "set", "-f", file, "--repo", repo(s)]);
      }),
    );
  };
  try {
    const create = await bench.measure(setAll);
    const missing = countMissing(bench.emulator, prefix, secrets, scopes);
    const step = (run: () => Promise<void>) =>
      stepAfterCreate(bench, options, run);
    const noop = await step(setAll);
    const change = await step(async () => {
      revisions.set(0, 1);
      await setAll();
    });
    const refresh = await step(async () => {
      await Promise.all(
        Array.from({ length: scopes }, (_, s) =>
          gh_(["secret", "list", "--repo", repo(s)]),
        ),
      );
    });
    const destroy = await step(async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: deleteProcesses }, async () => {
          for (let i = next++; i < secrets; i = next++)
            await gh_([
              "secret",
              "delete",
              secretName(i),
              "--repo",
              repo(scopeOf(i, scopes)),
            ]);
        }),
      );
    });
    return {
      client: "gh",
      timeScale: bench.settings.timeScale,
      secrets,
      scopes,
      limits: bench.limits,
      workload: "repo",
      steps: { create, noop, change, refresh, destroy },
      missingAfterCreate: missing,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
