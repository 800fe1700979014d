/** The upcoming run times of schedules, for the start-up log and for `hotrepos schedules`. */
import type { Schedule } from './schedule.js';
import { isoInZone } from './zoned-time.js';

export interface ScheduleDescription {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly subject: string;
  /** The next `count` run times after `now`, ISO 8601 with the schedule's own UTC offset at that time. */
  readonly next: readonly string[];
}

export function describeSchedules(schedules: readonly Schedule[], now: Date, count: number): ScheduleDescription[] {
  return schedules.map(({ name, cron, timezone, subject, times }) => ({
    name,
    cron,
    timezone,
    subject,
    next: times.upcoming(now, count).map((tick) => isoInZone(tick, timezone)),
  }));
}
