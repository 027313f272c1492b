// A throwaway Pulumi program folder, laid out as a user's would be: Pulumi.yaml, index.ts, a
// stack config, and node_modules resolving to this repository's (so the program loads the same
// @pulumi/pulumi as the engine, and `pulumi-github-secrets` through tools/link-self.js's link).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { repositoryRoot } from "./serialized-provider";

export function writeProgram(
  name: string,
  source: string,
  config: Record<string, string>,
  stack = "dev",
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    stringify({ name, runtime: "nodejs", main: "index.ts" }),
  );
  fs.writeFileSync(path.join(dir, "index.ts"), source);
  fs.writeFileSync(
    path.join(dir, `Pulumi.${stack}.yaml`),
    stringify({ config }),
  );
  fs.symlinkSync(
    path.join(repositoryRoot, "node_modules"),
    path.join(dir, "node_modules"),
    "dir",
  );
  return dir;
}

/** Pids of the dynamic-provider host processes serving the program in `cwd`. */
export function providerHostsIn(cwd: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (
        cmdline.includes("dynamic-provider") &&
        fs.realpathSync(`/proc/${entry}/cwd`) === fs.realpathSync(cwd)
      ) {
        pids.push(Number(entry));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}
