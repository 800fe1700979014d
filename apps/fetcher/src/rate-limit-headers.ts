/**
 * Reads GitHub's rate-limit headers (`x-ratelimit-limit`, `-remaining`, `-reset`, `retry-after`)
 * into times on this machine's clock.
 *
 * `x-ratelimit-reset` is a moment on GitHub's clock. It is measured against the response's `Date`
 * header, not against our clock: a replica whose clock runs ahead would otherwise retry before the
 * reset over and over, and one that runs behind would sleep too long. `Date` has whole seconds, so
 * the wait comes out up to a second long, never short.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RateLimitObservation {
  readonly limit?: number;
  readonly remaining?: number;
  /** When the current window ends (ms since the epoch, our clock). */
  readonly resetAt?: number;
  /** Only on a rate-limit answer: the earliest moment to send the request again (our clock). */
  readonly retryAt?: number;
}

/** GitHub's advice for a rate-limit answer that names no time: wait at least a minute. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

export function readRateLimit(status: number, headers: IncomingHttpHeaders, now: number): RateLimitObservation {
  const serverNow = httpDate(first(headers, 'date')) ?? now;
  const limit = count(first(headers, 'x-ratelimit-limit'));
  const remaining = count(first(headers, 'x-ratelimit-remaining'));
  const reset = count(first(headers, 'x-ratelimit-reset'));
  const resetAt = reset === undefined ? undefined : now + reset * 1000 - serverNow;
  const retryAfterMs = retryAfter(first(headers, 'retry-after'), serverNow);

  // A 403 without these is a permission problem, not a rate limit; a 429 is always one.
  const rateLimited = status === 429 || (status === 403 && (remaining === 0 || retryAfterMs !== undefined));
  const retryAt = rateLimited ? (retryAfterMs !== undefined ? now + retryAfterMs : (resetAt ?? now + DEFAULT_RATE_LIMIT_WAIT_MS)) : undefined;
  return { limit, remaining, resetAt, retryAt };
}

function first(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function count(text: string | undefined): number | undefined {
  return text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}

function httpDate(text: string | undefined): number | undefined {
  const ms = text === undefined ? NaN : Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `retry-after` is seconds or, per RFC 9110, an HTTP date. */
function retryAfter(text: string | undefined, serverNow: number): number | undefined {
  const seconds = count(text);
  if (seconds !== undefined) return seconds * 1000;
  const at = httpDate(text);
  return at === undefined ? undefined : Math.max(0, at - serverNow);
}
