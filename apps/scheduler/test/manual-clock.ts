/** A clock that moves only when the test says so; `sleepers` shows who is waiting for which time. */
import type { Clock } from '../src/clock.js';

interface Sleeper {
  readonly until: number;
  readonly wake: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  readonly #sleepers = new Set<Sleeper>();

  constructor(start: string | Date) {
    this.#now = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  sleepUntil(until: Date, signal: AbortSignal): Promise<void> {
    if (until.getTime() <= this.#now || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        until: until.getTime(),
        wake: () => {
          this.#sleepers.delete(sleeper);
          signal.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      this.#sleepers.add(sleeper);
      signal.addEventListener('abort', sleeper.wake, { once: true });
    });
  }

  /** Moves time forward and wakes every sleeper whose time has come. */
  advance(ms: number): void {
    this.#now += ms;
    for (const sleeper of [...this.#sleepers]) if (sleeper.until <= this.#now) sleeper.wake();
  }

  /** When each sleeper wants to wake, earliest first. */
  get sleepers(): Date[] {
    return [...this.#sleepers].map((s) => new Date(s.until)).sort((a, b) => a.getTime() - b.getTime());
  }
}
