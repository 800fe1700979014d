/**
 * What `SCHEDULES` says about when each schedule fires, read as the scheduler reads it. The scheduler's
 * own parser cannot be imported (an app never imports another app) and does more than a listing needs
 * (it checks payloads against contracts and builds tick messages), so this keeps a small reader of the
 * fields that matter here. The default must stay the scheduler's `DEFAULT_SCHEDULES`.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { UsageError } from './errors.js';

const ScheduleEntry = z.object({
  name: z.string().min(1),
  cron: z.string().min(1),
  timezone: z.string().min(1).default('UTC'),
  subject: z.string().min(1),
});
export type ScheduleEntry = z.infer<typeof ScheduleEntry>;

const DEFAULT_SCHEDULES: readonly ScheduleEntry[] = [{ name: 'daily-report', cron: '0 0 * * *', timezone: 'UTC', subject: 'reports.request' }];

/** Throws `UsageError` for text the scheduler would refuse to start with. */
export function readSchedules(text: string | undefined): readonly ScheduleEntry[] {
  // Empty counts as unset, as for every service's environment.
  if (!text?.trim()) return DEFAULT_SCHEDULES;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`SCHEDULES: expected a JSON array of schedules: ${(err as Error).message}`, { cause: err });
  }
  const parsed = z.array(ScheduleEntry).safeParse(json);
  if (!parsed.success) throw new UsageError(`SCHEDULES: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`, { cause: parsed.error });
  return parsed.data;
}

/** The next `count` run times after `now`, as croner computes them for the scheduler (time zone and DST included). */
export function nextRuns({ name, cron, timezone }: ScheduleEntry, now: Date, count: number): Date[] {
  try {
    return new Cron(cron, { timezone, paused: true, mode: '5-part' }).nextRuns(count, now);
  } catch (err) {
    throw new UsageError(`SCHEDULES: schedule "${name}": ${(err as Error).message}`, { cause: err });
  }
}
