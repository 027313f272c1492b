// GitHub's rate limits, so clients' throttling can be tested without waiting for real minutes:
// - primary: N requests per token per hour (x-ratelimit-* headers; 403/429 when exhausted);
// - secondary: at most 100 concurrent requests, and 900 points per minute where a read costs 1
//   and a write 5 (403/429 with retry-after when exceeded), per token too: GitHub limits the
//   authenticated user or installation, so two accounts of one program each have their own
//   budget (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api).
// - content creation: "no more than 80 content-generating requests per minute and no more than
//   500 content-generating requests per hour", per token too. GitHub does not say which requests
//   generate content, nor whether secret writes do; the model counts every write that adds or
//   changes something (PUT, POST, PATCH; not DELETE). GitHub's answer is a 403 whose message says
//   the client "has been temporarily blocked from content creation", without a retry-after (the
//   docs then say: wait at least a minute, longer after each refusal). Off unless given.
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

export interface ContentCreationLimitOptions {
  perMinute?: number;
  perHour?: number;
  /** Send retry-after (seconds to the window's end) with the 403; GitHub's docs promise none. */
  retryAfter?: boolean;
}

export interface RateLimitOptions {
  /** Emulated milliseconds per real millisecond (default 1). */
  timeScale?: number;
  primary?: PrimaryLimitOptions | false;
  /** Off unless given: a test suite writing hundreds of secrets would otherwise be throttled. */
  secondary?: SecondaryLimitOptions | boolean;
  /** Off unless given. */
  contentCreation?: ContentCreationLimitOptions | boolean;
}

export interface RateLimitStats {
  primaryRejections: number;
  secondaryRejections: number;
  /** Of the secondary rejections, those of the content-creation limit. */
  contentRejections: number;
  /** Rejections by status code (403, 429). */
  byStatus: Record<number, number>;
  inFlight: number;
}

export interface Rejection {
  /** Which limit refused: only an exhausted primary limit says x-ratelimit-remaining: 0. */
  limit: "primary" | "secondary" | "content";
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
  private content: Required<ContentCreationLimitOptions> | undefined;
  private readonly primaryWindows = new Map<string, Window>();
  /** Secondary-limit points and requests in flight, by token. */
  private readonly points = new Map<string, Window>();
  private readonly inFlightByKey = new Map<string, number>();
  /** Content-generating requests admitted in the current minute and hour, by token. */
  private readonly createdInMinute = new Map<string, Window>();
  private readonly createdInHour = new Map<string, Window>();
  private stats: RateLimitStats = {
    primaryRejections: 0,
    secondaryRejections: 0,
    contentRejections: 0,
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
    const content = options.contentCreation;
    this.content =
      content === undefined || content === false
        ? undefined
        : {
            perMinute: 80,
            perHour: 500,
            retryAfter: false,
            ...(content === true ? {} : content),
          };
    this.primaryWindows.clear();
    this.points.clear();
    this.createdInMinute.clear();
    this.createdInHour.clear();
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
      contentRejections: 0,
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
    /** A write that adds or changes content (not a DELETE), for the content-creation limit. */
    creates = false,
  ): { done: () => void } | Rejection {
    const now = Date.now();
    if (this.primary) {
      const w = this.window(key);
      if (w.used >= this.primary.limit) {
        this.count("primary", this.primary.status);
        return {
          limit: "primary",
          status: this.primary.status,
          message: `API rate limit exceeded for user. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          headers: {},
        };
      }
    }
    const inFlight = this.inFlightByKey.get(key) ?? 0;
    let chargePoints: (() => void) | undefined;
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
          limit: "secondary",
          status: s.status,
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          headers: {
            "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))),
          },
        };
      }
      chargePoints = () => (points.used += cost);
    }
    // A refused request costs nothing against the other limits.
    if (this.content && creates) {
      const refused = this.createContent(key, now, requestId);
      if (refused) return refused;
    }
    chargePoints?.();
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

  /** Counts one content-generating request, or refuses it when a minute's or hour's is used up. */
  private createContent(
    key: string,
    now: number,
    requestId: string,
  ): Rejection | undefined {
    const c = this.content!;
    const current = (windows: Map<string, Window>, emulatedMs: number) => {
      let w = windows.get(key);
      if (!w || now >= this.realEnd(w.start, emulatedMs)) {
        w = { start: now, used: 0 };
        windows.set(key, w);
      }
      return w;
    };
    const minute = current(this.createdInMinute, 60_000);
    const hour = current(this.createdInHour, 3_600_000);
    const full =
      hour.used >= c.perHour
        ? this.realEnd(hour.start, 3_600_000)
        : minute.used >= c.perMinute
          ? this.realEnd(minute.start, 60_000)
          : undefined;
    if (full === undefined) {
      minute.used++;
      hour.used++;
      return undefined;
    }
    this.count("secondary", 403);
    this.stats.contentRejections++;
    return {
      limit: "content",
      status: 403,
      message: `You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
      headers: c.retryAfter
        ? { "retry-after": String(Math.max(1, Math.ceil((full - now) / 1000))) }
        : {},
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
