/**
 * `SCHEDULES`: a JSON array of schedule definitions, parsed into runnable schedules. Every problem
 * becomes a zod issue at the offending entry and field (`SCHEDULES.1.cron: ...`), so the config
 * loader reports all of them at once, one line each.
 */
import { z } from 'zod';
import { InvalidScheduleError } from './invalid-schedule-error.js';
import { compileSchedule, type Schedule } from './schedule.js';
import { DEFAULT_SCHEDULES, ScheduleDefinition } from './schedule-definition.js';

function compileAll(definitions: readonly ScheduleDefinition[], ctx: z.RefinementCtx): Schedule[] {
  const now = new Date();
  const firstIndex = new Map<string, number>();
  const schedules: Schedule[] = [];
  definitions.forEach((definition, index) => {
    const earlier = firstIndex.get(definition.name);
    if (earlier !== undefined) {
      ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate schedule name "${definition.name}" (also SCHEDULES.${earlier})` });
      return;
    }
    firstIndex.set(definition.name, index);
    try {
      schedules.push(compileSchedule(definition, now));
    } catch (err) {
      if (!(err instanceof InvalidScheduleError)) throw err;
      ctx.addIssue({ code: 'custom', path: [index, err.field], message: err.message });
    }
  });
  return schedules;
}

export const SchedulesJson = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `expected a JSON array of schedules: ${(err as Error).message}` });
      return z.NEVER;
    }
  })
  .pipe(z.array(ScheduleDefinition).min(1, 'expected at least one schedule'))
  .transform(compileAll)
  // A prefault, not a default: the default text is parsed and checked like an operator's would be.
  .prefault(JSON.stringify(DEFAULT_SCHEDULES));
