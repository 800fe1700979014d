/**
 * Time as the scheduler sees it. Injected so tests can cross midnight, or three days of downtime,
 * in a moment; `SystemClock` is the real one.
 */
export interface Clock {
  now(): Date;
  /** Resolves once `now()` has reached `until`, or as soon as `signal` aborts (it never rejects). */
  sleepUntil(until: Date, signal: AbortSignal): Promise<void>;
}

const NODE_MAX_TIMER_MS = 2 ** 31 - 1;

export class SystemClock implements Clock {
  readonly #maxTimerMs: number;

  /**
   * `maxTimerMs` is the longest single timer. A minute by default, far below Node's limit, because a
   * timer runs on the monotonic clock, which stands still while the machine is suspended and ignores
   * wall-clock corrections: waking every minute to compare with the wall clock bounds how late a tick can be.
   */
  constructor({ maxTimerMs = 60_000 }: { maxTimerMs?: number } = {}) {
    this.#maxTimerMs = Math.min(Math.max(1, maxTimerMs), NODE_MAX_TIMER_MS);
  }

  now(): Date {
    return new Date();
  }

  async sleepUntil(until: Date, signal: AbortSignal): Promise<void> {
    for (;;) {
      const remaining = until.getTime() - Date.now();
      if (remaining <= 0 || signal.aborted) return;
      await wait(Math.min(remaining, this.#maxTimerMs), signal);
    }
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
