import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimitGate, type Permit } from '../src/rate-limit-gate.js';

const MARGIN = 100;

describe('RateLimitGate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const newGate = (opts: { heartbeatMs?: number } = {}) => new RateLimitGate({ safetyMarginMs: MARGIN, ...opts });

  /** Starts an acquire and records when (if ever) it went through. */
  const track = (gate: RateLimitGate, signal?: AbortSignal) => {
    const state: { permit?: Permit; at?: number; error?: unknown } = {};
    gate.acquire(signal ? { signal } : {}).then(
      (permit) => Object.assign(state, { permit, at: Date.now() }),
      (error: unknown) => Object.assign(state, { error }),
    );
    return state;
  };

  it('lets every request through while the budget is unknown', async () => {
    const gate = newGate();
    const permits = await Promise.all(Array.from({ length: 10 }, () => gate.acquire()));
    expect(permits).toHaveLength(10);
  });

  it('after remaining 0, lets nothing through before the reset (plus the margin)', async () => {
    const gate = newGate();
    const start = Date.now();
    (await gate.acquire()).release({ limit: 3, remaining: 0, resetAt: start + 1_000 });
    const held = track(gate);
    await vi.advanceTimersByTimeAsync(1_000 + MARGIN - 1);
    expect(held.permit).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(held.at).toBe(start + 1_000 + MARGIN);
  });

  it('never has more requests in flight than the window has left', async () => {
    const gate = newGate();
    const resetAt = Date.now() + 5_000;
    (await gate.acquire()).release({ limit: 10, remaining: 2, resetAt });
    const a = await gate.acquire();
    const b = await gate.acquire();
    const c = track(gate);
    await vi.advanceTimersByTimeAsync(50);
    expect(c.permit).toBeUndefined();

    // a counted by the server: 1 left, b still in flight and perhaps not counted yet, so still nothing.
    a.release({ limit: 10, remaining: 1, resetAt });
    await vi.advanceTimersByTimeAsync(50);
    expect(c.permit).toBeUndefined();

    // b counted too and failed with no news: 1 left and nothing in flight, so c goes.
    b.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.permit).toBeDefined();
  });

  it('keeps the lowest remaining of one window and ignores answers from an older window', async () => {
    const gate = newGate();
    const now = Date.now();
    const [a, b, c] = await Promise.all([gate.acquire(), gate.acquire(), gate.acquire()]);
    a!.release({ remaining: 0, resetAt: now + 1_000 });
    // An answer sent earlier but arriving later, with more left in the same window, changes nothing.
    b!.release({ remaining: 5, resetAt: now + 1_000 });
    const held = track(gate);
    await vi.advanceTimersByTimeAsync(500);
    expect(held.permit).toBeUndefined();
    // A new window (later reset) replaces it; an older one after that is ignored.
    c!.release({ remaining: 5, resetAt: now + 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(held.permit).toBeDefined();
    held.permit!.release({ remaining: 0, resetAt: now + 1_000 });
    const next = track(gate);
    await vi.advanceTimersByTimeAsync(0);
    expect(next.permit).toBeDefined();
  });

  it('after a window ends, assumes the next one holds `limit` requests', async () => {
    const gate = newGate();
    const start = Date.now();
    (await gate.acquire()).release({ limit: 2, remaining: 0, resetAt: start + 1_000 });
    const waiting = [track(gate), track(gate), track(gate)];
    await vi.advanceTimersByTimeAsync(1_000 + MARGIN);
    expect(waiting.filter((w) => w.permit)).toHaveLength(2);
    waiting.find((w) => w.permit)!.permit!.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(waiting.filter((w) => w.permit)).toHaveLength(3);
  });

  it('waits out a retry-after even with budget left', async () => {
    const gate = newGate();
    const start = Date.now();
    (await gate.acquire()).release({ limit: 30, remaining: 20, resetAt: start + 60_000, retryAt: start + 2_000 });
    expect(gate.closedForMs()).toBe(2_000 + MARGIN);
    const held = track(gate);
    await vi.advanceTimersByTimeAsync(2_000 + MARGIN - 1);
    expect(held.permit).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(held.at).toBe(start + 2_000 + MARGIN);
  });

  it('calls onWaiting every heartbeat while it holds a request', async () => {
    const gate = newGate({ heartbeatMs: 1_000 });
    (await gate.acquire()).release({ remaining: 0, resetAt: Date.now() + 3_500 });
    const onWaiting = vi.fn();
    const acquired = gate.acquire({ onWaiting });
    await vi.advanceTimersByTimeAsync(3_500 + MARGIN);
    await acquired;
    expect(onWaiting).toHaveBeenCalledTimes(4);
  });

  it('ends a wait with the reason of its abort signal', async () => {
    const gate = newGate();
    (await gate.acquire()).release({ remaining: 0, resetAt: Date.now() + 60_000 });
    const stop = new AbortController();
    const held = track(gate, stop.signal);
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('stopping');
    stop.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(held.error).toBe(reason);
    expect(held.permit).toBeUndefined();
    await expect(gate.acquire({ signal: stop.signal })).rejects.toBe(reason);
  });

  it('counts a permit released twice once', async () => {
    const gate = newGate();
    const resetAt = Date.now() + 5_000;
    (await gate.acquire()).release({ remaining: 1, resetAt });
    const a = await gate.acquire();
    a.release();
    a.release();
    await gate.acquire();
    const held = track(gate);
    await vi.advanceTimersByTimeAsync(10);
    expect(held.permit).toBeUndefined();
  });
});
