import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT_WAIT_MS, readRateLimit } from '../src/rate-limit-headers.js';

const serverNow = Date.parse('2026-01-01T12:00:00Z');
const date = new Date(serverNow).toUTCString();
const resetIn = (seconds: number) => String(serverNow / 1000 + seconds);

describe('readRateLimit', () => {
  it('reads the budget of an ordinary answer, measuring the reset against the Date header', () => {
    // Our clock is 5 minutes ahead of GitHub's: the reset is still 30 s away.
    const now = serverNow + 5 * 60_000;
    const observed = readRateLimit(200, { date, 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': resetIn(30) }, now);
    expect(observed).toEqual({ limit: 30, remaining: 12, resetAt: now + 30_000, retryAt: undefined });
  });

  it('uses our clock when there is no Date header', () => {
    const observed = readRateLimit(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(30) }, serverNow);
    expect(observed.resetAt).toBe(serverNow + 30_000);
    expect(observed.retryAt).toBeUndefined();
  });

  it('treats a 403 with nothing left as a rate limit lasting until the reset', () => {
    const observed = readRateLimit(403, { date, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(42) }, serverNow);
    expect(observed.retryAt).toBe(serverNow + 42_000);
  });

  it('prefers retry-after, in seconds or as an HTTP date', () => {
    const headers = { date, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(42) };
    expect(readRateLimit(429, { ...headers, 'retry-after': '7' }, serverNow).retryAt).toBe(serverNow + 7_000);
    expect(readRateLimit(403, { date, 'retry-after': new Date(serverNow + 9_000).toUTCString() }, serverNow).retryAt).toBe(serverNow + 9_000);
  });

  it('waits a minute on a 429 that names no time', () => {
    expect(readRateLimit(429, {}, serverNow).retryAt).toBe(serverNow + DEFAULT_RATE_LIMIT_WAIT_MS);
  });

  it('does not take a 403 with budget left and no retry-after for a rate limit', () => {
    expect(readRateLimit(403, { date, 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': resetIn(42) }, serverNow).retryAt).toBeUndefined();
    expect(readRateLimit(403, {}, serverNow).retryAt).toBeUndefined();
  });

  it('ignores values that are not whole numbers', () => {
    expect(readRateLimit(200, { 'x-ratelimit-limit': 'lots', 'x-ratelimit-remaining': '-1', 'x-ratelimit-reset': '1e9' }, serverNow)).toEqual({
      limit: undefined,
      remaining: undefined,
      resetAt: undefined,
      retryAt: undefined,
    });
  });
});
