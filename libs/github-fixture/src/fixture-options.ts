import { FixtureInputError } from './fixture-input-error.js';
import { MAX_TOTAL_COUNT } from './repositories.js';
import { parseDay } from './since-date.js';

export type FaultKind = 'status-500' | 'status-502' | 'status-422' | 'slow-body' | 'malformed-json' | 'connection-reset';

/** Which search requests a fault rule applies to; every field left out matches anything. */
export interface FaultMatch {
  /** The `page` parameter (1 when absent). */
  readonly page?: number;
  /** The day written in `q` (`created:>=2024-01-01` and `created:>2024-01-01` both match `2024-01-01`). */
  readonly since?: string;
  /** Fire from the nth matching request on (1-based, default 1). */
  readonly nth?: number;
  /** How many times the rule fires (default 1; `Infinity` for every match from the nth on). */
  readonly times?: number;
}

export interface FaultRule {
  readonly match: FaultMatch;
  readonly fault: FaultKind;
  /** For `slow-body`: how long to stall between the two halves of the body (default 1000 ms). */
  readonly slowBodyMs?: number;
}

/** The search budget: requests per fixed window, counted per token (all anonymous callers share one). */
export interface RateLimitOptions {
  readonly authenticated: number;
  readonly anonymous: number;
  readonly windowMs: number;
}

export interface FixtureOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Accepted tokens; any other token gets 401. Leave out to accept every token. */
  readonly tokens?: readonly string[];
  /** GitHub's search budget (30 / 10 per minute) unless set; `false` turns it off. */
  readonly rateLimit?: Partial<RateLimitOptions> | false;
  /** The status of a rate-limited answer; both carry `retry-after`. Default 403, as GitHub mostly answers. */
  readonly rateLimitStatus?: 403 | 429;
  /** Delay before every response. */
  readonly latencyMs?: number;
  readonly faults?: readonly FaultRule[];
  /** Page p > 1 starts this many items earlier, repeating the tail of page p - 1 (stars moving between requests). */
  readonly overlap?: number;
  /** How many repositories match; drawn from the date unless given. */
  readonly totalCount?: number;
}

/** What `setOptions` may change on a running fixture (everything but the port). */
export type FixtureSettings = Omit<FixtureOptions, 'port'>;

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { authenticated: 30, anonymous: 10, windowMs: 60_000 };

export interface ResolvedSettings {
  readonly tokens: ReadonlySet<string> | undefined;
  readonly rateLimit: RateLimitOptions | false;
  readonly rateLimitStatus: 403 | 429;
  readonly latencyMs: number;
  readonly faults: readonly FaultRule[];
  readonly overlap: number;
  readonly totalCount: number | undefined;
}

/** Applies defaults and rejects settings the fixture could only fail on later, mid-request. */
export function resolveSettings(settings: FixtureSettings): ResolvedSettings {
  const rateLimit = settings.rateLimit === false ? false : { ...DEFAULT_RATE_LIMIT, ...settings.rateLimit };
  if (rateLimit) {
    requireInteger('rateLimit.authenticated', rateLimit.authenticated, 0);
    requireInteger('rateLimit.anonymous', rateLimit.anonymous, 0);
    requireInteger('rateLimit.windowMs', rateLimit.windowMs, 1);
  }
  const rateLimitStatus = settings.rateLimitStatus ?? 403;
  if (rateLimitStatus !== 403 && rateLimitStatus !== 429) throw new FixtureInputError(`rateLimitStatus must be 403 or 429, got ${String(rateLimitStatus)}`);
  const latencyMs = settings.latencyMs ?? 0;
  requireInteger('latencyMs', latencyMs, 0);
  const overlap = settings.overlap ?? 0;
  requireInteger('overlap', overlap, 0);
  if (settings.totalCount !== undefined) requireInteger('totalCount', settings.totalCount, 0, MAX_TOTAL_COUNT);
  const faults = settings.faults ?? [];
  faults.forEach(checkFaultRule);
  return {
    tokens: settings.tokens ? new Set(settings.tokens) : undefined,
    rateLimit,
    rateLimitStatus,
    latencyMs,
    faults,
    overlap,
    totalCount: settings.totalCount,
  };
}

function checkFaultRule(rule: FaultRule, index: number): void {
  const at = `faults[${index}]`;
  const { page, since, nth, times } = rule.match;
  if (page !== undefined) requireInteger(`${at}.match.page`, page, 1);
  if (since !== undefined && parseDay(since) === undefined) throw new FixtureInputError(`${at}.match.since must be YYYY-MM-DD, got ${JSON.stringify(since)}`);
  if (nth !== undefined) requireInteger(`${at}.match.nth`, nth, 1);
  if (times !== undefined && times !== Infinity) requireInteger(`${at}.match.times`, times, 0);
  if (rule.slowBodyMs !== undefined) requireInteger(`${at}.slowBodyMs`, rule.slowBodyMs, 0);
}

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new FixtureInputError(`${name} must be an integer in ${min}..${max}, got ${String(value)}`);
}
