// Watches a benchmark step from the side: the peak resident set of the provider host process
// (Linux: VmHWM in /proc/<pid>/status, the kernel's own high-water mark, so sampling only has to
// catch the process before it exits) and when GitHub traffic started and stopped (the emulator's
// request log, polled; its entries carry no timestamps).
import * as fs from "node:fs";

/**
 * The dynamic-provider host processes descended from `ancestorPid` (here: this process, which
 * runs a deployment runner, which runs the Pulumi CLI, which starts the plugin's script and
 * that the host).
 */
export function providerHostPids(ancestorPid = process.pid): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return []; // not Linux: no RSS figures
  }
  const parents = new Map<number, number>();
  const hosts: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command may hold spaces and parentheses: fields resume after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      // Pulumi's dynamic-provider host, or this package's provider plugin.
      if (
        cmdline.includes("dynamic-provider") ||
        cmdline.includes("pulumi-resource-github-secrets")
      )
        hosts.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === ancestorPid) return true;
    return false;
  };
  return hosts.filter(descends);
}

/** VmHWM (peak RSS) of a process in kilobytes, or undefined when it is gone. */
export function peakRssKb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface Observation {
  /** Highest VmHWM seen of any provider host during the step, in kB (0: none seen). */
  hostPeakRssKb: number;
  /** Milliseconds from the first request's arrival to the last response (± one interval). */
  trafficSpanMs: number;
}

/**
 * Samples every `intervalMs` until stopped. `requestLog` reads the emulator's log, whose entries
 * are added when a response is finished and carry its duration.
 */
export function observe(
  requestLog: () => readonly { durationMs: number }[],
  intervalMs = 10,
): { stop(): Observation } {
  let peak = 0;
  let seen = requestLog().length;
  let first: number | undefined;
  let last: number | undefined;
  let hosts: number[] = [];
  let ticks = 0;
  const sample = () => {
    // Scanning /proc is the costly part: only while no host is known, then now and then.
    if (hosts.length === 0 || ticks++ % 25 === 0) hosts = providerHostPids();
    for (const pid of hosts) peak = Math.max(peak, peakRssKb(pid) ?? 0);
    const log = requestLog();
    if (log.length > seen) {
      const t = performance.now();
      // The first request started its duration before its response was logged.
      first ??= t - (log[seen]?.durationMs ?? 0);
      last = t;
      seen = log.length;
    }
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return {
        hostPeakRssKb: peak,
        trafficSpanMs:
          first !== undefined && last !== undefined ? last - first : 0,
      };
    },
  };
}
