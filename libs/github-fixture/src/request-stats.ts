/** What the fixture saw, for tests and benchmarks to assert on (a client that respects the budget has `overBudget === 0`). */

export interface RequestLogEntry {
  readonly method: string;
  readonly url: string;
  /** 0 when the fixture dropped the connection instead of answering (`connection-reset`). */
  readonly status: number;
  /** Arrival time, ms since the epoch. */
  readonly at: number;
  readonly token: string | undefined;
}

export interface FixtureStats {
  readonly requests: number;
  /** Requests per answered status; a dropped connection counts under 0. */
  readonly byStatus: Readonly<Record<number, number>>;
  /** Requests that arrived while their budget was spent, i.e. that got a rate-limit answer. */
  readonly overBudget: number;
  /** Faults injected, all rules together. */
  readonly faultsFired: number;
  /** Faults injected per rule, in the order of `faults`. */
  readonly faultHits: readonly number[];
  /** The most recent requests, oldest first, at most `LOG_LIMIT`. */
  readonly log: readonly RequestLogEntry[];
}

export const LOG_LIMIT = 10_000;

export class RequestStats {
  private requests = 0;
  private overBudget = 0;
  private byStatus: Record<number, number> = {};
  // A ring buffer: a long benchmark must not pay for shifting a 10k array on every request.
  private log: RequestLogEntry[] = [];
  private next = 0;

  record(entry: RequestLogEntry, overBudget: boolean): void {
    this.requests++;
    if (overBudget) this.overBudget++;
    this.byStatus[entry.status] = (this.byStatus[entry.status] ?? 0) + 1;
    if (this.log.length < LOG_LIMIT) this.log.push(entry);
    else this.log[this.next] = entry;
    this.next = (this.next + 1) % LOG_LIMIT;
  }

  snapshot(faultHits: readonly number[]): FixtureStats {
    const log = this.log.length < LOG_LIMIT ? [...this.log] : [...this.log.slice(this.next), ...this.log.slice(0, this.next)];
    return {
      requests: this.requests,
      byStatus: { ...this.byStatus },
      overBudget: this.overBudget,
      faultsFired: faultHits.reduce((sum, n) => sum + n, 0),
      faultHits,
      log,
    };
  }
}
