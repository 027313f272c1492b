// GitHub's rate limits, so clients' throttling can be tested without waiting for real minutes:
// - primary: N requests per token per hour (x-ratelimit-* headers; 403/429 when exhausted);
// - secondary: at most 100 concurrent requests, and 900 points per minute where a read costs 1
//   and a write 5 (403/429 with retry-after when exceeded), per token too: GitHub limits the
//   authenticated user or installation, so two accounts of one program each have their own
//   budget (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api).
// `timeScale` compresses time: with 60, an emulated minute lasts one real second. Headers carry
// real time (epoch seconds, seconds to wait) so a client's sleep computations stay correct.

export interface PrimaryLimitOptions {
  /** Requests per window and token. GitHub: 5000 for a personal access token. */
  limit?: number;
  /** Emulated window length; GitHub: one hour. */
  windowMs?: number;
  /** GitHub answers either; 403 is the classic one. */
  status?: 403 | 429;
}

export interface SecondaryLimitOptions {
  maxConcurrent?: number;
  pointsPerMinute?: number;
  readCost?: number;
  writeCost?: number;
  status?: 403 | 429;
}

export interface RateLimitOptions {
  /** Emulated milliseconds per real millisecond (default 1). */
  timeScale?: number;
  primary?: PrimaryLimitOptions | false;
  /** Off unless given: a test suite writing hundreds of secrets would otherwise be throttled. */
  secondary?: SecondaryLimitOptions | boolean;
}

export interface RateLimitStats {
  primaryRejections: number;
  secondaryRejections: number;
  /** Rejections by status code (403, 429). */
  byStatus: Record<number, number>;
  inFlight: number;
}

export interface Rejection {
  status: number;
  message: string;
  headers: Record<string, string>;
}

interface Window {
  start: number;
  used: number;
}

export class RateLimiter {
  private scale = 1;
  private primary: Required<PrimaryLimitOptions> | undefined;
  private secondary: Required<SecondaryLimitOptions> | undefined;
  private readonly primaryWindows = new Map<string, Window>();
  /** Secondary-limit points and requests in flight, by token. */
  private readonly points = new Map<string, Window>();
  private readonly inFlightByKey = new Map<string, number>();
  private stats: RateLimitStats = {
    primaryRejections: 0,
    secondaryRejections: 0,
    byStatus: {},
    inFlight: 0,
  };

  constructor(options: RateLimitOptions = {}) {
    this.configure(options);
  }

  configure(options: RateLimitOptions): void {
    this.scale = options.timeScale ?? 1;
    this.primary =
      options.primary === false
        ? undefined
        : {
            limit: 5000,
            windowMs: 3_600_000,
            status: 403,
            ...(options.primary ?? {}),
          };
    const sec = options.secondary;
    this.secondary =
      sec === undefined || sec === false
        ? undefined
        : {
            maxConcurrent: 100,
            pointsPerMinute: 900,
            readCost: 1,
            writeCost: 5,
            status: 403,
            ...(sec === true ? {} : sec),
          };
    this.primaryWindows.clear();
    this.points.clear();
  }

  private get inFlight(): number {
    let total = 0;
    for (const n of this.inFlightByKey.values()) total += n;
    return total;
  }

  getStats(): RateLimitStats {
    return {
      ...this.stats,
      byStatus: { ...this.stats.byStatus },
      inFlight: this.inFlight,
    };
  }

  resetStats(): void {
    this.stats = {
      primaryRejections: 0,
      secondaryRejections: 0,
      byStatus: {},
      inFlight: 0,
    };
  }

  /** Headers every response carries; `key` identifies the token. */
  headers(key: string): Record<string, string> {
    if (!this.primary) return {};
    const w = this.window(key);
    return {
      "x-ratelimit-limit": String(this.primary.limit),
      "x-ratelimit-remaining": String(Math.max(0, this.primary.limit - w.used)),
      "x-ratelimit-used": String(w.used),
      "x-ratelimit-reset": String(
        Math.ceil(this.realEnd(w.start, this.primary.windowMs) / 1000),
      ),
      "x-ratelimit-resource": "core",
    };
  }

  /**
   * Admits a request or says why not. An admitted request must call the returned `done` once
   * its response has finished, to release its concurrency slot.
   */
  admit(
    key: string,
    write: boolean,
    requestId: string,
  ): { done: () => void } | Rejection {
    const now = Date.now();
    if (this.primary) {
      const w = this.window(key);
      if (w.used >= this.primary.limit) {
        this.count("primary", this.primary.status);
        return {
          status: this.primary.status,
          message: `API rate limit exceeded for user. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          headers: {},
        };
      }
    }
    const inFlight = this.inFlightByKey.get(key) ?? 0;
    if (this.secondary) {
      const s = this.secondary;
      const minute = 60_000 / this.scale;
      let points = this.points.get(key);
      if (!points || now - points.start >= minute) {
        points = { start: now, used: 0 };
        this.points.set(key, points);
      }
      const cost = write ? s.writeCost : s.readCost;
      if (
        inFlight >= s.maxConcurrent ||
        points.used + cost > s.pointsPerMinute
      ) {
        this.count("secondary", s.status);
        const waitMs = points.start + minute - now;
        return {
          status: s.status,
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          headers: {
            "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))),
          },
        };
      }
      points.used += cost;
    }
    if (this.primary) this.window(key).used++;
    this.inFlightByKey.set(key, inFlight + 1);
    let released = false;
    return {
      done: () => {
        if (!released)
          this.inFlightByKey.set(key, (this.inFlightByKey.get(key) ?? 1) - 1);
        released = true;
      },
    };
  }

  private window(key: string): Window {
    const p = this.primary!;
    const now = Date.now();
    let w = this.primaryWindows.get(key);
    if (!w || now >= this.realEnd(w.start, p.windowMs)) {
      w = { start: now, used: 0 };
      this.primaryWindows.set(key, w);
    }
    return w;
  }

  private realEnd(start: number, emulatedMs: number): number {
    return start + emulatedMs / this.scale;
  }

  private count(kind: "primary" | "secondary", status: number): void {
    if (kind === "primary") this.stats.primaryRejections++;
    else this.stats.secondaryRejections++;
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
  }
}
