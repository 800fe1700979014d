/**
 * When a cron pattern fires, computed by croner in the schedule's time zone (DST included). Only
 * the arithmetic comes from croner: its own timers are never started, so the scheduler's clock
 * stays injectable.
 */
import { Cron } from 'croner';

export class CronTimes {
  readonly #cron: Cron;

  /** Throws croner's error for a pattern that is not a standard five-field cron (or `@daily` and friends). */
  constructor(pattern: string, timeZone: string) {
    this.#cron = new Cron(pattern, { timezone: timeZone, paused: true, mode: '5-part' });
  }

  /** The first tick strictly after `after`. Undefined when the pattern never fires again. */
  next(after: Date): Date | undefined {
    return this.#cron.nextRun(after) ?? undefined;
  }

  /** The next `count` ticks strictly after `after`. */
  upcoming(after: Date, count: number): Date[] {
    return this.#cron.nextRuns(count, after);
  }

  /** The latest tick at or before `atOrBefore`: the one that is due now. */
  latest(atOrBefore: Date): Date | undefined {
    // croner looks strictly before its reference; one millisecond later makes a tick exactly at `atOrBefore` count.
    return this.#cron.previousRuns(1, new Date(atOrBefore.getTime() + 1))[0];
  }
}
