// Request log: what clients actually sent, so tests can assert call counts (e.g. "one public-key
// fetch per scope") and benchmarks can report requests per operation.

export interface LogEntry {
  method: string;
  /** Path as received (still percent-encoded), without the query. */
  path: string;
  /** "METHOD /path/{template}" or "METHOD (unmatched)". */
  route: string;
  status: number;
  /** Injected fault, when there was one. */
  fault?: string;
  /** Who the token authenticated (never the token). */
  login?: string;
  /** When the request arrived, by the emulator's clock (epoch ms): pacing is measured on it. */
  arrivedAt: number;
  durationMs: number;
  requestId: string;
}

export interface LogSummary {
  total: number;
  byMethod: Record<string, number>;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
}

export class RequestLog {
  entries: LogEntry[] = [];

  add(entry: LogEntry): void {
    this.entries.push(entry);
  }

  reset(): void {
    this.entries = [];
  }

  summary(): LogSummary {
    const s: LogSummary = {
      total: this.entries.length,
      byMethod: {},
      byRoute: {},
      byStatus: {},
    };
    for (const e of this.entries) {
      s.byMethod[e.method] = (s.byMethod[e.method] ?? 0) + 1;
      s.byRoute[e.route] = (s.byRoute[e.route] ?? 0) + 1;
      s.byStatus[e.status] = (s.byStatus[e.status] ?? 0) + 1;
    }
    return s;
  }
}
