// How requests reach GitHub: one scheduler per provider process, shared by every resource, since
// the engine may start hundreds of creates at once.
// - Proactive: at most `maxConcurrency` requests in flight, and writes paced so that GitHub's
//   secondary limit (900 points a minute, 5 points a write) is never reached. Bottleneck, the
//   limiter @octokit/plugin-throttling is built on, runs both through the plugin's own groups.
// - Reactive: when GitHub refuses (a secondary limit's 403/429, with or without retry-after, or an
//   exhausted primary limit), every request of the client pauses (`Pause`): one refusal means the
//   next requests would be refused too. @octokit/plugin-throttling spots the refusals; the waiting
//   is ours, so that requests not yet sent wait as well, and so that a refusal without retry-after
//   (the content-creation limit's) waits GitHub's "at least a minute", longer each time, as its
//   docs ask. The user is told when a pause begins: a long run is being paced, not stuck.
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
  /** First pause after a secondary-limit refusal without retry-after (GitHub: at least 60 s). */
  readonly secondaryLimitWaitSeconds: number;
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
/** Pauses without retry-after double up to 8 × the first (8 minutes by default). */
const maxPauseDoublings = 3;
/**
 * Refusals for this many first pauses on end (90 minutes by default; GitHub's longest documented
 * window is an hour) fail the request with GitHub's message. What was written is kept; the next
 * `pulumi up` continues from there.
 */
const giveUpAfterPauses = 90;

/**
 * One client's pause: GitHub has refused a request, so nothing more is sent until the pause is
 * over. Shared by every request of the client, since GitHub limits the token, not the request.
 */
export class Pause {
  private until = 0;
  /** Refusals without retry-after since the last success: each doubles the next pause. */
  private strikes = 0;
  /** When the current run of refusals began (undefined: the last request went through). */
  private refusedSince: number | undefined;

  constructor(
    private readonly firstWaitMs: number,
    private readonly tell: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * GitHub refused a request: pause every request for `retryAfterSeconds`, or, without one, for
   * the first wait doubled by each refusal since the last success. Returns whether to retry.
   */
  refused(reason: string, retryAfterSeconds: number | undefined): boolean {
    const now = this.now();
    this.refusedSince ??= now;
    if (now - this.refusedSince > this.firstWaitMs * giveUpAfterPauses)
      return false;
    // A refusal of a request sent before the pause began says nothing new.
    if (now < this.until) return true;
    let waitMs: number;
    if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
      waitMs = retryAfterSeconds * 1000;
    } else {
      waitMs =
        this.firstWaitMs * 2 ** Math.min(this.strikes, maxPauseDoublings);
      this.strikes++;
    }
    this.until = now + waitMs;
    this.tell(
      `GitHub is pacing this run (${reason}): waiting ${formatSeconds(waitMs)} before sending more requests; nothing is lost, the run continues by itself`,
    );
    return true;
  }

  /** `refused`, then the pause: what a refused request does before it is sent again. */
  async waitAfterRefusal(
    reason: string,
    retryAfterSeconds: number | undefined,
  ): Promise<boolean> {
    if (!this.refused(reason, retryAfterSeconds)) return false;
    await this.over();
    return true;
  }

  /** A request went through: the next refusal starts from the first wait again. */
  succeeded(): void {
    if (this.now() < this.until) return; // sent before the pause; it proves nothing yet
    this.strikes = 0;
    this.refusedSince = undefined;
  }

  /** Resolves when no pause is in effect. */
  async over(): Promise<void> {
    for (
      let left = this.until - this.now();
      left > 0;
      left = this.until - this.now()
    )
      await new Promise((resolve) => setTimeout(resolve, left));
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s >= 100 ? `${Math.round(s / 60)} min` : `${Number(s.toFixed(1))} s`;
}

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
  pause: Pause,
): Record<string, unknown> {
  const pace = writePace(settings.pointsPerMinute);
  const common = { maxConcurrent: settings.maxConcurrency };
  return {
    // The plugin's own waits are zero: `Pause` waits (see the top of this file). Without a
    // retry-after, the plugin reports 0 seconds, which `Pause` reads as "none given".
    retryAfterBaseValue: 0,
    fallbackSecondaryRateRetryAfter: 0,
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
    onRateLimit: async (
      retryAfter: number,
      _options: unknown,
      _octokit: unknown,
      retryCount: number,
    ) => {
      if (
        retryCount >= settings.maxRetries ||
        retryAfter > maxPrimaryWaitSeconds
      )
        return false;
      return pause.waitAfterRefusal(
        "the primary rate limit is used up until its reset",
        retryAfter,
      );
    },
    onSecondaryRateLimit: async (
      retryAfter: number,
      options: { method?: string },
    ) => {
      const refusal = `a secondary rate limit refused a ${options.method ?? "request"}`;
      return pause.waitAfterRefusal(
        retryAfter > 0
          ? refusal
          : `${refusal} without retry-after, as GitHub's content-creation limit of 80 a minute and 500 an hour does`,
        retryAfter,
      );
    },
  };
}

interface RequestOptions {
  request?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * `fetch` with a timeout per HTTP exchange, which waits while GitHub has paused the client. The
 * clock starts when the request leaves, not when it is queued: a write waiting its turn in the
 * pacer, or for a pause to end, has not timed out.
 *
 * Writes and deletes never follow a redirect: GitHub answers a renamed or transferred
 * repository's old name with 307 and asks for the request to be repeated verbatim at
 * `/repositories/{id}/…` (docs.github.com/rest "HTTP redirects"), and a DELETE repeated there
 * would remove the secret a replacement has just written under the new name. The 3xx answer
 * reaches the caller (api.ts), which decides. Reads follow as usual.
 */
export function fetchWithTimeout(
  timeoutMs: number,
  pause?: Pause,
): typeof fetch {
  return async (url, init) => {
    // Here, after the throttling groups let the request go: requests they released before
    // GitHub refused one wait too, instead of being sent to be refused.
    await pause?.over();
    const response = await fetch(url, {
      ...init,
      ...(followsRedirects(init?.method) ? {} : { redirect: "manual" }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status < 400) pause?.succeeded();
    return response;
  };
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
