// How requests reach GitHub: one pacer per token and host in a provider process, shared by every
// resource (the engine may start hundreds of creates at once) and by every account or explicit
// provider that uses the same token.
// - Budget, not pace: GitHub's secondary limit is 900 points a minute (a read costs 1, a write 5).
//   The pacer keeps the points of the last minute and sends whatever fits in 95% of that budget at
//   once; only a request that does not fit waits, and only until the oldest points leave the
//   minute. About 170 writes go out as fast as the engine hands them over; beyond that each minute
//   carries a full budget. At most `maxConcurrency` requests are in flight.
// - A request's points count from its answer, not its departure: GitHub counts it on arrival, so
//   a minute measured from the answer has certainly ended on GitHub's clock too, whatever the
//   latency.
// - Reactive: when GitHub refuses (a secondary limit's 403/429, with or without retry-after, or an
//   exhausted primary limit), every request of the token pauses (`Pause`): one refusal means the
//   next requests would be refused too. A refusal without retry-after is the content-creation
//   limit's (80 writes a minute, 500 an hour): the rest of the run then also keeps to that limit,
//   instead of meeting it again every minute. The user is told: a long run is paced, not stuck.
// - Transient failures (5xx, connection reset, timeout) are retried with exponential backoff and
//   full jitter. PUT and DELETE are idempotent, so retrying a write that may have landed is safe.
// Every attempt, retries included, passes the pacer again: GitHub counts it.

export interface TrafficSettings {
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly maxConcurrency: number;
  readonly pointsPerMinute: number;
  /** First pause after a secondary-limit refusal without retry-after (GitHub: at least 60 s). */
  readonly secondaryLimitWaitSeconds: number;
  /**
   * GitHub's clock compressed, for tests and the benchmark against an emulator that compresses
   * it the same way (PULUMI_GITHUB_SECRETS_TIME_SCALE): with 60, GitHub's minute lasts a second.
   */
  readonly timeScale: number;
}

/** GitHub's documented costs against the secondary limit. */
const readPoints = 1;
const writePoints = 5;
/** Share of the points budget the pacer spends: the rest covers clocks and other clients. */
const budgetShare = 0.95;
/** GitHub's content-creation limit: "no more than 80 … per minute and no more than 500 … per hour". */
export const contentPerMinute = 80;
export const contentPerHour = 500;
const minuteMs = 60_000;
const hourMs = 3_600_000;
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

/** Time, and timers, injectable so that tests can run the pacer on a fake clock. */
export interface Clock {
  now(): number;
  /** Calls `callback` after `ms`; returns a function that cancels it. */
  after(ms: number, callback: () => void): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  after: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

/** What a request costs: points against the secondary limit, and whether it creates content. */
export function costOf(method: string | undefined): {
  points: number;
  content: boolean;
} {
  const m = (method ?? "GET").toUpperCase();
  if (m === "GET" || m === "HEAD")
    return { points: readPoints, content: false };
  // GitHub does not list the content-generating requests. A DELETE removes content; PUT, POST
  // and PATCH add or change it (the emulator's model does the same).
  return { points: writePoints, content: m !== "DELETE" };
}

/**
 * One token's pause: GitHub has refused a request, so nothing more is sent until the pause is
 * over. Shared by every request of the token, since GitHub limits the token, not the request.
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

  /** Nothing may be sent before this time. */
  get pausedUntil(): number {
    return this.until;
  }

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

  /** A request went through: the next refusal starts from the first wait again. */
  succeeded(): void {
    if (this.now() < this.until) return; // sent before the pause; it proves nothing yet
    this.strikes = 0;
    this.refusedSince = undefined;
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s >= 100 ? `${Math.round(s / 60)} min` : `${Number(s.toFixed(1))} s`;
}

export interface PacerLimits {
  readonly pointsPerMinute: number;
  readonly maxConcurrency: number;
  /** 1 at GitHub's clock (see TrafficSettings.timeScale). */
  readonly timeScale: number;
}

interface Waiter {
  readonly points: number;
  readonly content: boolean;
  readonly admit: (release: (refusedByRateLimit?: boolean) => void) => void;
}

/** Answers in completion order: when each left GitHub, and what it cost. */
interface Spent {
  readonly at: number;
  readonly points: number;
}

/**
 * The sliding-window budget of one token: requests wait in order, and each goes as soon as the
 * pause (if any) is over, a slot is free, and its points fit in the last minute's budget (after a
 * content-creation refusal, also its write in the last minute's 80 and the last hour's 500).
 */
export class Pacer {
  private readonly queue: Waiter[] = [];
  private readonly minuteMs: number;
  private readonly hourMs: number;
  private readonly budget: number;
  private readonly maxConcurrency: number;
  private inFlight = 0;
  private inFlightPoints = 0;
  private inFlightContent = 0;
  /** Answers of the last minute, oldest first, and the sum of their points. */
  private readonly spent: Spent[] = [];
  private spentPoints = 0;
  /** Answers to content-generating writes in the last hour, oldest first. */
  private readonly created: number[] = [];
  /** Whether GitHub's content-creation limit has refused this token during the run. */
  private contentPaced = false;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Infinity;

  constructor(
    limits: PacerLimits,
    private readonly pause: Pause,
    private readonly clock: Clock = realClock,
  ) {
    this.minuteMs = minuteMs / limits.timeScale;
    this.hourMs = hourMs / limits.timeScale;
    this.budget = limits.pointsPerMinute * budgetShare;
    this.maxConcurrency = limits.maxConcurrency;
  }

  /**
   * Waits until a request with `method` may be sent; resolves with the function to call once its
   * answer (or failure) has arrived, saying whether a rate limit refused it.
   */
  acquire(
    method: string | undefined,
  ): Promise<(refusedByRateLimit?: boolean) => void> {
    const { points, content } = costOf(method);
    return new Promise((admit) => {
      this.queue.push({ points, content, admit });
      this.pump();
    });
  }

  /**
   * GitHub's content-creation limit refused a write: from now on keep to it. Returns true the
   * first time (the caller tells the user once).
   */
  keepToContentLimit(): boolean {
    if (this.contentPaced) return false;
    this.contentPaced = true;
    return true;
  }

  /** Admits waiting requests in order while they fit; otherwise sets a timer for the first. */
  private pump(): void {
    while (this.queue.length > 0) {
      const now = this.clock.now();
      this.forget(now);
      const waitUntil = this.blockedUntil(this.queue[0]!, now);
      if (waitUntil !== undefined) {
        this.wake(waitUntil);
        return;
      }
      this.start(this.queue.shift()!);
    }
  }

  /**
   * When the request may go (undefined: now; Infinity: when a request in flight answers), by
   * the pause, the slots, the points budget and, once GitHub has asked for it, the content limit.
   */
  private blockedUntil(w: Waiter, now: number): number | undefined {
    if (now < this.pause.pausedUntil) return this.pause.pausedUntil;
    if (this.inFlight >= this.maxConcurrency) return Infinity;
    let until: number | undefined;
    const later = (t: number | undefined) => {
      if (t !== undefined) until = Math.max(until ?? -Infinity, t);
    };
    const used = this.inFlightPoints + this.spentPoints;
    // A request costing more than the whole budget (a tiny custom limit) goes alone.
    if (used + w.points > this.budget && used > 0)
      later(this.pointsFreedAt(used + w.points - this.budget));
    if (this.contentPaced && w.content) {
      later(this.slotFreedAt(contentPerMinute, this.minuteMs, now));
      later(this.slotFreedAt(contentPerHour, this.hourMs, now));
    }
    return until;
  }

  /** When `needed` points will have left the minute (Infinity: not before an answer). */
  private pointsFreedAt(needed: number): number {
    let freed = 0;
    for (const s of this.spent) {
      freed += s.points;
      if (freed >= needed) return s.at + this.minuteMs;
    }
    return Infinity;
  }

  /** When one more content write fits `limit` per `windowMs` (undefined: now). */
  private slotFreedAt(
    limit: number,
    windowMs: number,
    now: number,
  ): number | undefined {
    const first = this.created.findIndex((at) => at > now - windowMs);
    const inWindow = first < 0 ? 0 : this.created.length - first;
    const over = this.inFlightContent + inWindow - (limit - 1);
    if (over <= 0) return undefined;
    if (over > inWindow) return Infinity;
    return this.created[first + over - 1]! + windowMs;
  }

  private start(w: Waiter): void {
    this.inFlight++;
    this.inFlightPoints += w.points;
    if (w.content) this.inFlightContent++;
    let released = false;
    w.admit((refusedByRateLimit = false) => {
      if (released) return;
      released = true;
      const at = this.clock.now();
      this.inFlight--;
      this.inFlightPoints -= w.points;
      this.spent.push({ at, points: w.points });
      this.spentPoints += w.points;
      if (w.content) {
        this.inFlightContent--;
        // A write GitHub refused created nothing: counting it would spend a slot of the hour's
        // 500, and one slot too few makes the last write wait for the next hour. (Its points
        // count: GitHub does not say a refusal is free.)
        if (!refusedByRateLimit) this.created.push(at);
      }
      this.pump();
    });
  }

  /** Drops answers that have left the minute (points) and the hour (content writes). */
  private forget(now: number): void {
    while (this.spent.length > 0 && this.spent[0]!.at <= now - this.minuteMs)
      this.spentPoints -= this.spent.shift()!.points;
    while (this.created.length > 0 && this.created[0]! <= now - this.hourMs)
      this.created.shift();
  }

  private wake(at: number): void {
    if (at === Infinity || at === this.timerAt) return; // an answer will pump
    this.cancelTimer?.();
    this.timerAt = at;
    this.cancelTimer = this.clock.after(
      Math.max(1, at - this.clock.now()),
      () => {
        this.cancelTimer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
    );
  }
}

/** Whether GitHub refused for a rate limit, which one, and the wait it asked for. */
export function rateLimitRefusal(
  error: unknown,
  now: number = Date.now(),
):
  | { limit: "secondary"; retryAfterSeconds: number | undefined }
  | { limit: "primary"; retryAfterSeconds: number }
  | undefined {
  const e = error as {
    status?: number;
    message?: string;
    response?: {
      headers?: Record<string, string | number | undefined>;
      data?: { message?: unknown };
    };
  };
  if (!e?.response || (e.status !== 403 && e.status !== 429)) return undefined;
  const headers = e.response.headers ?? {};
  const message = `${e.message ?? ""} ${String(e.response.data?.message ?? "")}`;
  // GitHub's wording (docs.github.com/rest "Exceeding the rate limit"), as
  // @octokit/plugin-throttling recognises it.
  if (/\bsecondary rate\b/i.test(message)) {
    const retryAfter = Number(headers["retry-after"]);
    return {
      limit: "secondary",
      retryAfterSeconds: retryAfter > 0 ? retryAfter : undefined,
    };
  }
  if (String(headers["x-ratelimit-remaining"]) === "0") {
    const reset = Number(headers["x-ratelimit-reset"]) * 1000;
    // One second more, so that the retry comes after the reset (GitHub's docs).
    return {
      limit: "primary",
      retryAfterSeconds: Math.max(0, Math.ceil((reset - now) / 1000) + 1),
    };
  }
  return undefined;
}

interface RequestOptions {
  method?: string;
  request?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Octokit's `request`, paced and retried: the outermost hook, so that every attempt passes the
 * pacer. Rate-limit refusals pause the token and are sent again; transient failures are retried
 * with backoff; everything else reaches the caller at once.
 */
export function pacedRequest<T>(
  settings: TrafficSettings,
  pacer: Pacer,
  pause: Pause,
  tell: (message: string) => void,
): (
  request: (options: RequestOptions) => Promise<T>,
  options: RequestOptions,
) => Promise<T> {
  return async (request, options) => {
    for (let transient = 0, primary = 0; ;) {
      const release = await pacer.acquire(options.method);
      try {
        const response = await request(options);
        release();
        pause.succeeded();
        return response;
      } catch (error) {
        const refusal = rateLimitRefusal(error);
        release(refusal !== undefined);
        // GitHub answered without refusing (a 404, a 422): the token is not being limited.
        if (!refusal && (error as { response?: unknown })?.response)
          pause.succeeded();
        if (refusal?.limit === "primary") {
          if (
            primary++ >= settings.maxRetries ||
            refusal.retryAfterSeconds > maxPrimaryWaitSeconds
          )
            throw error;
          if (
            !pause.refused(
              "the primary rate limit is used up until its reset",
              refusal.retryAfterSeconds,
            )
          )
            throw error;
          continue;
        }
        if (refusal?.limit === "secondary") {
          const method = (options.method ?? "request").toUpperCase();
          let reason = `a secondary rate limit refused a ${method}`;
          if (refusal.retryAfterSeconds === undefined) {
            reason += ` without retry-after, as GitHub's content-creation limit of ${contentPerMinute} a minute and ${contentPerHour} an hour does`;
            if (pacer.keepToContentLimit())
              tell(
                `GitHub's content-creation limit refused a write: the rest of this run sends at most ${contentPerMinute} writes a minute and ${contentPerHour} an hour`,
              );
          }
          if (!pause.refused(reason, refusal.retryAfterSeconds)) throw error;
          continue;
        }
        if (transient >= settings.maxRetries || !isTransient(error))
          throw error;
        await new Promise((resolve) =>
          setTimeout(resolve, backoffMs(transient++, settings.retryDelayMs)),
        );
      }
    }
  };
}

/** The first pause without retry-after, on the settings' clock. */
export function firstPauseMs(settings: TrafficSettings): number {
  return (settings.secondaryLimitWaitSeconds * 1000) / settings.timeScale;
}

/**
 * `fetch` with a timeout per HTTP exchange. The clock starts when the request leaves, not when it
 * is queued: a write waiting its turn in the pacer, or for a pause to end, has not timed out.
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
