// Processes of a Pulumi program under test.
import * as fs from "node:fs";

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
