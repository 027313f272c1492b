// The targets, judged from measured figures. Pure functions: the bench test checks the
// request-count ones at a tiny size, the report prints all of them.
import { heartbeatMs, writePace } from "../provider/traffic";
import {
  POINTS_PER_MINUTE,
  WRITE_POINTS,
  type BenchSettings,
  type ScenarioResult,
  type StepFigures,
} from "./harness";

export interface TargetResult {
  target: string;
  met: boolean;
  measured: string;
}

/** Secrets in the fullest scope (secrets are spread round-robin). */
export function perScope(secrets: number, scopes: number): number {
  return Math.ceil(secrets / scopes);
}

/** Requests by route suffix: list pages, public-key fetches, single-secret GETs. */
export function refreshBreakdown(step: StepFigures): {
  lists: number;
  keys: number;
  other: number;
} {
  let lists = 0;
  let keys = 0;
  let other = 0;
  for (const [route, count] of Object.entries(step.byRoute)) {
    if (/^GET .*\/secrets$/.test(route)) lists += count;
    else if (/^GET .*\/public-key$/.test(route)) keys += count;
    else other += count;
  }
  return { lists, keys, other };
}

/** GitHub's sustained secondary limit: minutes of points, on the emulator's clock, in real ms. */
export function pointsFloorMs(points: number, settings: BenchSettings): number {
  return ((points / POINTS_PER_MINUTE) * 60_000) / settings.timeScale;
}

/**
 * The least time create can take: the 900-points floor, or, for a few secrets, two round trips
 * (a key must come back before the first value can be sealed).
 */
export function createFloorMs(
  secrets: number,
  scopes: number,
  settings: BenchSettings,
): number {
  return Math.max(
    pointsFloorMs(createPoints(secrets, scopes), settings),
    2 * settings.latencyMs,
  );
}

/**
 * The least time N writes take under the content-creation limit (80 a minute, 500 an hour, fixed
 * windows): whole hours while more than an hour's worth remains, then the rest at 80 a minute.
 */
export function contentFloorMs(
  secrets: number,
  settings: BenchSettings,
): number {
  const fullHours = Math.max(0, Math.ceil(secrets / 500) - 1);
  const minutes = (secrets - 500 * fullHours) / 80;
  return (fullHours * 3_600_000 + minutes * 60_000) / settings.timeScale;
}

/** Points create costs at best: one write per secret, one key read per scope. */
export function createPoints(secrets: number, scopes: number): number {
  return secrets * WRITE_POINTS + scopes;
}

const KB = 1024;

export function judge(
  all: ScenarioResult[],
  settings: BenchSettings,
  /** The clock of the content-creation runs. */
  contentTimeScale = settings.timeScale,
): TargetResult[] {
  const out: TargetResult[] = [];
  const results = all.filter(
    (r) => r.limits === "points" && r.workload === "repo",
  );
  const provider = results.filter((r) => r.client === "provider");
  const p64 = results.filter((r) => r.client === "provider-p64");
  const unchecked = results.filter(
    (r) => r.client === "provider-no-checkpoints",
  );
  for (const r of [...provider, ...unchecked, ...p64]) {
    const { secrets: n, scopes: s } = r;
    const tag = `N=${n}, S=${s}, --parallel ${r.parallel}${r.client === "provider-no-checkpoints" ? ", PULUMI_SKIP_CHECKPOINTS" : ""}`;
    const create = r.steps.create.requests;
    out.push({
      target: `create = N + S requests (${tag})`,
      met: create === n + s,
      measured: `${create} (N + S = ${n + s})`,
    });
    out.push({
      target: `no-op up = 0 requests (${tag})`,
      met: r.steps.noop.requests === 0,
      measured: String(r.steps.noop.requests),
    });
    // `pulumi refresh` previews first, and its preview reads too: two deployments, each
    // bounded by one listing per 100 secrets of a scope plus one key per scope.
    const pages = s * Math.ceil(perScope(n, s) / 100);
    const rb = refreshBreakdown(r.steps.refresh);
    out.push({
      target: `refresh (preview + refresh) ≤ 2 × (S·⌈n/100⌉ lists + S key checks) (${tag})`,
      met: rb.lists <= 2 * pages && rb.keys <= 2 * s && rb.other === 0,
      measured: `${rb.lists} lists + ${rb.keys} keys + ${rb.other} other (≤ ${2 * pages} + ${2 * s})`,
    });
    const floor = createFloorMs(n, s, settings);
    const c = r.steps.create;
    out.push({
      target: `create traffic ≤ 1.10 × floor (900 points/minute), zero 403/429 (${tag})`,
      met: c.limited === 0 && c.trafficMs <= 1.1 * floor,
      measured: `${(c.trafficMs / floor).toFixed(2)} × floor (${fmtMs(c.trafficMs)} vs ${fmtMs(floor)}), ${c.limited} × 403/429`,
    });
  }
  const largest = Math.max(...provider.map((r) => r.secrets));
  const big = provider.find((r) => r.secrets === largest);
  const tf = results.find(
    (r) => r.client === "terraform-like" && r.secrets === largest,
  );
  if (big && tf) {
    const ratio = tf.steps.create.wallMs / big.steps.create.wallMs;
    out.push({
      target: `create ≥ 3× faster than terraform-like (N=${largest}, --parallel ${big.parallel}, measured)`,
      met: ratio >= 3,
      measured: `${ratio.toFixed(1)}× (${fmtMs(tf.steps.create.wallMs)} vs ${fmtMs(big.steps.create.wallMs)})`,
    });
    const quick = unchecked.find((r) => r.secrets === largest);
    if (quick) {
      const q = tf.steps.create.wallMs / quick.steps.create.wallMs;
      out.push({
        target: `create ≥ 3× faster than terraform-like (N=${largest}, --parallel ${quick.parallel}, PULUMI_SKIP_CHECKPOINTS, measured)`,
        met: q >= 3,
        measured: `${q.toFixed(1)}× (${fmtMs(tf.steps.create.wallMs)} vs ${fmtMs(quick.steps.create.wallMs)})`,
      });
    }
    const projected = projectToRealTime(big, tf, settings);
    out.push({
      target: `create ≥ 3× faster than terraform-like (N=${largest}, --parallel ${big.parallel}, projected to time scale 1)`,
      met: projected.terraformMs / projected.providerMs >= 3,
      measured: `${(projected.terraformMs / projected.providerMs).toFixed(1)}× (${fmtMs(projected.terraformMs)} vs ${fmtMs(projected.providerMs)})`,
    });
  }
  for (const r of [big, ...p64]) {
    if (!r) continue;
    const peak = Math.max(
      ...Object.values(r.steps).map((s) => s.hostPeakRssKb ?? 0),
    );
    out.push({
      target: `provider host peak RSS ≤ 200 MB (N=${r.secrets}, --parallel ${r.parallel})`,
      met: peak > 0 && peak <= 200 * KB,
      measured: peak > 0 ? `${(peak / KB).toFixed(0)} MB` : "not measured",
    });
  }
  for (const r of all.filter(
    (x) => x.workload === "org" && x.client === "provider",
  )) {
    out.push({
      target: `organization secret with ${r.scopes} selected repositories: no-op up = 0 requests`,
      met: r.steps.noop.requests === 0,
      measured: `${r.steps.noop.requests} (create: ${r.steps.create.requests}, ${r.missingAfterCreate === 0 ? "value and selection verified" : "NOT verified"})`,
    });
  }
  for (const r of all.filter(
    (x) => x.limits === "content" && x.client === "provider",
  )) {
    out.push({
      target: `under the content-creation limit: no secret lost, no user action, the output says GitHub is pacing the run (N=${r.secrets}, --parallel ${r.parallel})`,
      // Telling is owed only when GitHub did refuse.
      met:
        r.missingAfterCreate === 0 &&
        (r.steps.create.limited === 0 || r.toldPacing === true),
      measured: `${r.secrets - r.missingAfterCreate} of ${r.secrets} verified, ${r.steps.create.limited} × 403, ${r.toldPacing ? "told" : r.steps.create.limited ? "not told" : "nothing to tell"}, ${fmtMs(r.steps.create.wallMs)} (floor ${fmtMs(contentFloorMs(r.secrets, { ...settings, timeScale: contentTimeScale }))})`,
    });
  }
  const bytes = Math.max(...provider.map((r) => r.providerBytes ?? Infinity));
  out.push({
    target: "`__provider` ≤ 2.5 KB",
    met: bytes <= 2.5 * KB,
    measured: `${bytes} bytes`,
  });
  return out;
}

/**
 * The measured ratio flatters the provider: the emulator scales GitHub's clock (limits, and
 * terraform's write delay with them) but not the 30 ms of latency, which terraform pays serially.
 * At time scale 1: terraform keeps its latency and sleeps the full second between writes; the
 * provider keeps its overhead (wall minus traffic) and its writes flow at the rate its pacing
 * really achieves at 900 points a minute (`pacedWriteIntervalMs`), or the measured traffic if longer.
 */
export function projectToRealTime(
  provider: ScenarioResult,
  terraform: ScenarioResult,
  settings: BenchSettings,
): { providerMs: number; terraformMs: number } {
  const writes = terraform.steps.create.byMethod.PUT ?? 0;
  const sleptMs = Math.max(0, writes - 1) * (1000 / settings.timeScale);
  const terraformMs = terraform.steps.create.wallMs - sleptMs + writes * 1000;
  const c = provider.steps.create;
  const pace = writePace(POINTS_PER_MINUTE);
  const pacedMs =
    (Math.max(0, provider.secrets - pace.burst) / pace.perTick) *
    pacedWriteIntervalMs(POINTS_PER_MINUTE);
  const providerMs = c.wallMs - c.trafficMs + Math.max(c.trafficMs, pacedMs);
  return { providerMs, terraformMs };
}

/**
 * The interval at which the provider's pacer really adds writes: Bottleneck tops the reservoir
 * up only on a heartbeat that finds a full interval elapsed, then restarts the interval from that
 * heartbeat, so the interval rounds up to whole heartbeats (provider/traffic.ts: `heartbeatMs`).
 * Exact at GitHub's clock, where timer jitter is negligible.
 */
export function pacedWriteIntervalMs(pointsPerMinute: number): number {
  const { intervalMs } = writePace(pointsPerMinute);
  const heartbeat = heartbeatMs(intervalMs);
  return Math.ceil(intervalMs / heartbeat - 1e-9) * heartbeat;
}

export function fmtMs(ms: number): string {
  return ms >= 10_000
    ? `${(ms / 1000).toFixed(0)} s`
    : ms >= 1000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms)} ms`;
}
