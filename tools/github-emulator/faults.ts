// Fault injection: server errors, connection resets and delays, drawn from a seeded generator
// so a failing test can be replayed; plus a fixed latency per request for benchmarks.

export interface FaultOptions {
  /** Seed of the generator (default 1). Same seed and same request order: same faults. */
  seed?: number;
  /** Per-request probabilities; together at most 1. */
  rates?: {
    500?: number;
    502?: number;
    503?: number;
    reset?: number;
    /** The request is handled (a PUT is stored) but the connection drops before the answer. */
    resetAfter?: number;
    delay?: number;
  };
  /** Extra delay of a "delay" fault (default 1000 ms). */
  delayMs?: number;
  /** Only requests matching these are eligible (method list; regex on "METHOD /path/template"). */
  methods?: string[];
  route?: string;
}

export type Fault =
  | { kind: "status"; status: 500 | 502 | 503 }
  | { kind: "reset" }
  | { kind: "reset-after" }
  | { kind: "delay"; ms: number };

/** mulberry32: tiny, fast and good enough to spread faults; deterministic per seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  latencyMs = 0;
  private options: FaultOptions = {};
  private random = mulberry32(1);
  private queued: Fault[] = [];
  private routeRe: RegExp | undefined;

  configure(options: FaultOptions): void {
    this.options = options;
    this.random = mulberry32(options.seed ?? 1);
    this.routeRe =
      options.route === undefined ? undefined : new RegExp(options.route);
  }

  /** The next `count` eligible requests fail this way, before any random draw (for retry tests). */
  failNext(count: number, fault: Fault): void {
    for (let i = 0; i < count; i++) this.queued.push(fault);
  }

  clear(): void {
    this.configure({});
    this.queued = [];
  }

  /** Draws the fault for one request (undefined: serve it normally). */
  draw(method: string, routeKey: string): Fault | undefined {
    const o = this.options;
    if (o.methods && !o.methods.map((m) => m.toUpperCase()).includes(method))
      return undefined;
    if (this.routeRe && !this.routeRe.test(routeKey)) return undefined;
    const queued = this.queued.shift();
    if (queued) return queued;
    const rates = o.rates;
    if (!rates) return undefined;
    let r = this.random();
    const table: [number | undefined, Fault][] = [
      [rates[500], { kind: "status", status: 500 }],
      [rates[502], { kind: "status", status: 502 }],
      [rates[503], { kind: "status", status: 503 }],
      [rates.reset, { kind: "reset" }],
      [rates.resetAfter, { kind: "reset-after" }],
      [rates.delay, { kind: "delay", ms: o.delayMs ?? 1000 }],
    ];
    for (const [p, fault] of table) {
      if (p && r < p) return fault;
      r -= p ?? 0;
    }
    return undefined;
  }
}
