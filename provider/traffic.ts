// How requests reach GitHub: one scheduler per provider process, shared by every resource, since
// the engine may start hundreds of creates at once.
// - Proactive: at most `maxConcurrency` requests in flight, and writes paced so that GitHub's
//   secondary limit (900 points a minute, 5 points a write) is never reached. Bottleneck, the
//   limiter @octokit/plugin-throttling is built on, runs both through the plugin's own groups.
// - Reactive: @octokit/plugin-throttling waits out a 403/429 with retry-after (secondary limit)
//   or an exhausted primary limit (until x-ratelimit-reset), then retries.
// - Transient failures (5xx, connection reset, timeout) are retried with exponential backoff and
//   full jitter. @octokit/plugin-retry backs off quadratically without jitter, so that one loop is
//   ours. PUT and DELETE are idempotent, so retrying a write that may have landed is safe.

import type BottleneckClass from "bottleneck";

// The light build (no Redis clustering) is what @octokit/plugin-throttling itself loads.
const Bottleneck: typeof BottleneckClass = require("bottleneck/light");

export interface TrafficSettings {
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly maxConcurrency: number;
  readonly pointsPerMinute: number;
}

/** GitHub's documented cost of a write against the secondary limit (a read costs 1). */
const writeCost = 5;
/** Share of the points budget left to reads (public keys, listings) and to other clients. */
const readHeadroom = 0.05;
/** Writes allowed back to back before pacing starts, so small programs never wait. */
const maxBurst = 10;
/** Longest wait for a primary rate-limit reset; beyond it the run fails with a clear message. */
const maxPrimaryWaitSeconds = 15 * 60;
const maxBackoffMs = 30_000;

/** The write pace: a burst, then one write every `intervalMs`; never over budget in any minute. */
export function writePace(pointsPerMinute: number): {
  burst: number;
  intervalMs: number;
  perTick: number;
} {
  const writesPerMinute = Math.max(
    1,
    Math.floor((pointsPerMinute * (1 - readHeadroom)) / writeCost),
  );
  const burst = Math.max(
    1,
    Math.min(maxBurst, Math.floor(writesPerMinute / 10)),
  );
  const steady = Math.max(1, writesPerMinute - burst);
  // Bottleneck tops the reservoir up on a heartbeat; at high rates (time-scaled tests) add
  // several writes per tick instead of ticking faster than timers can.
  const exact = 60_000 / steady;
  const perTick = Math.max(1, Math.ceil(10 / exact));
  return { burst, intervalMs: perTick * exact, perTick };
}

export function heartbeatMs(intervalMs: number): number {
  return Math.max(1, Math.min(250, Math.floor(intervalMs / 20)));
}

/** Options for @octokit/plugin-throttling: our groups and our answers to its rate-limit events. */
export function throttleOptions(
  settings: TrafficSettings,
): Record<string, unknown> {
  const pace = writePace(settings.pointsPerMinute);
  const common = { maxConcurrent: settings.maxConcurrency };
  const retryWhile =
    (limit: number) =>
    (
      retryAfter: number,
      _options: unknown,
      _octokit: unknown,
      retryCount: number,
    ) =>
      retryCount < settings.maxRetries && retryAfter <= limit;
  return {
    global: new Bottleneck.Group({ ...common, id: "github-secrets-global" }),
    write: new Bottleneck.Group({
      ...common,
      id: "github-secrets-write",
      reservoir: pace.burst,
      reservoirIncreaseMaximum: pace.burst,
      reservoirIncreaseAmount: pace.perTick,
      reservoirIncreaseInterval: pace.intervalMs,
      // Bottleneck adds to the reservoir on a heartbeat that finds a whole interval elapsed,
      // then counts the next interval from that beat: a beat as long as the interval loses up
      // to one interval in two. A beat of a twentieth of the interval loses at most 5%.
      heartbeatInterval: heartbeatMs(pace.intervalMs),
    }),
    onRateLimit: retryWhile(maxPrimaryWaitSeconds),
    // GitHub asks for a pause of about a minute at most; always honour it while retries remain.
    onSecondaryRateLimit: retryWhile(Number.POSITIVE_INFINITY),
  };
}

interface RequestOptions {
  request?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * `fetch` with a timeout per HTTP exchange. The clock starts when the request leaves, not when
 * it is queued: a write waiting its turn in the pacer has not timed out.
 *
 * Writes and deletes never follow a redirect: GitHub answers a renamed or transferred
 * repository's old name with 307 and asks for the request to be repeated verbatim at
 * `/repositories/{id}/…` (docs.github.com/rest "HTTP redirects"), and a DELETE repeated there
 * would remove the secret a replacement has just written under the new name. The 3xx answer
 * reaches the caller (api.ts), which decides. Reads follow as usual.
 */
export function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (url, init) =>
    fetch(url, {
      ...init,
      ...(followsRedirects(init?.method) ? {} : { redirect: "manual" }),
      signal: AbortSignal.timeout(timeoutMs),
    });
}

function followsRedirects(method: string | undefined): boolean {
  const m = (method ?? "GET").toUpperCase();
  return m === "GET" || m === "HEAD";
}

/** Whether a failed request may succeed if sent again: GitHub not reached, or a 5xx. */
export function isTransient(error: unknown): boolean {
  const e = error as { status?: number; response?: unknown };
  if (!e || typeof e !== "object") return false;
  if (e.response === undefined) return true; // connection refused or reset, timeout
  return typeof e.status === "number" && e.status >= 500;
}

/** Exponential backoff with full jitter: a random wait in [0, base·2^attempt], capped. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(maxBackoffMs, baseMs * 2 ** attempt));
}

/**
 * Wraps Octokit's request with retries of transient failures. Installed as the outermost hook,
 * so every attempt passes the throttling groups again (GitHub counts it).
 */
export function retryTransient<T>(
  settings: TrafficSettings,
): (
  request: (options: RequestOptions) => Promise<T>,
  options: RequestOptions,
) => Promise<T> {
  return async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(options);
      } catch (error) {
        if (attempt >= settings.maxRetries || !isTransient(error)) throw error;
        await new Promise((resolve) =>
          setTimeout(resolve, backoffMs(attempt, settings.retryDelayMs)),
        );
      }
    }
  };
}
