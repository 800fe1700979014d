import { describe, expect, it } from 'vitest';
import { SystemClock } from '../src/clock.js';

describe('SystemClock', () => {
  it('sleeps in short timers until the wall clock has reached the time', async () => {
    const clock = new SystemClock({ maxTimerMs: 5 });
    const until = new Date(Date.now() + 60);
    await clock.sleepUntil(until, new AbortController().signal);
    expect(Date.now()).toBeGreaterThanOrEqual(until.getTime());
  });

  it('returns at once for a time already past', async () => {
    await new SystemClock().sleepUntil(new Date(0), new AbortController().signal);
  });

  it('ends a long sleep when aborted', async () => {
    const stop = new AbortController();
    const sleeping = new SystemClock().sleepUntil(new Date(Date.now() + 3_600_000), stop.signal);
    stop.abort();
    await sleeping;
  });
});
