/**
 * GitHub's search budget: a fixed number of requests per window, per token (anonymous callers
 * share one). A caller's window opens with its first request and a new one opens with the first
 * request after it ends.
 */
import type { RateLimitOptions } from './fixture-options.js';

export interface BudgetState {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  readonly used: number;
  /** When the window ends (ms since the epoch). */
  readonly resetAtMs: number;
}

/** What the headers report when the budget is off: plenty, so clients that pace themselves do not slow down. */
const UNLIMITED = 1_000_000;
const UNLIMITED_WINDOW_MS = 60_000;

export class RateBudget {
  private readonly windows = new Map<string, { startMs: number; used: number }>();

  constructor(private readonly options: RateLimitOptions | false) {}

  /** Spends one request from the caller's budget when there is one left. */
  take(token: string | undefined, nowMs: number): BudgetState {
    if (!this.options) return { allowed: true, limit: UNLIMITED, remaining: UNLIMITED, used: 0, resetAtMs: nowMs + UNLIMITED_WINDOW_MS };
    const { windowMs } = this.options;
    const limit = token === undefined ? this.options.anonymous : this.options.authenticated;
    const key = token === undefined ? 'anonymous' : `token:${token}`;
    let window = this.windows.get(key);
    if (!window || nowMs >= window.startMs + windowMs) {
      window = { startMs: nowMs, used: 0 };
      this.windows.set(key, window);
    }
    const allowed = window.used < limit;
    if (allowed) window.used++;
    return { allowed, limit, remaining: limit - window.used, used: window.used, resetAtMs: window.startMs + windowMs };
  }
}
