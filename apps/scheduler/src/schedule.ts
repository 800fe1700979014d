/**
 * A schedule ready to run: its definition checked against croner, the time-zone database and the
 * contract of its subject, so that a mistake stops start-up instead of surfacing at the first tick.
 */
import { contracts, isSubject } from '@hotrepos/contracts';
import { z } from 'zod';
import { CronTimes } from './cron-times.js';
import { InvalidScheduleError } from './invalid-schedule-error.js';
import type { ScheduleDefinition } from './schedule-definition.js';
import { tickMessage, type TickSource } from './tick-message.js';
import { isTimeZone } from './zoned-time.js';

export interface Schedule extends TickSource {
  readonly cron: string;
  readonly times: CronTimes;
}

/** Throws `InvalidScheduleError` naming the field at fault. `now` is where "never fires again" is judged from. */
export function compileSchedule(definition: ScheduleDefinition, now: Date): Schedule {
  const { name, cron, timezone, subject, payload } = definition;
  if (!isTimeZone(timezone)) throw new InvalidScheduleError(name, 'timezone', `unknown time zone "${timezone}" (expected an IANA name such as "UTC" or "Europe/Berlin")`);

  let times: CronTimes;
  try {
    times = new CronTimes(cron, timezone);
  } catch (err) {
    throw new InvalidScheduleError(name, 'cron', `"${cron}" is not a valid five-field cron pattern: ${(err as Error).message}`, { cause: err });
  }
  const firstTick = times.next(now);
  if (!firstTick) throw new InvalidScheduleError(name, 'cron', `"${cron}" never fires after ${now.toISOString()}`);

  if (!isSubject(subject)) {
    throw new InvalidScheduleError(name, 'subject', `no contract for subject "${subject}" (known: ${Object.keys(contracts).join(', ')})`);
  }

  const schedule: Schedule = { name, cron, timezone, subject, payload, times };
  // The message as the first tick would send it, so the fields the scheduler adds are checked too.
  const sample = tickMessage(schedule, firstTick);
  const checked = contracts[subject].safeParse(sample.payload);
  if (!checked.success) {
    throw new InvalidScheduleError(name, 'payload', `payload violates the ${subject} contract: ${z.prettifyError(checked.error).replace(/\n/g, '; ')}`, {
      cause: checked.error,
    });
  }
  return schedule;
}
