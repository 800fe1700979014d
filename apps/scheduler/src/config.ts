import { envDurationMs } from '@hotrepos/config';
import { z } from 'zod';
import { SchedulesJson } from './schedules-json.js';

export const SchedulerEnv = z.object({
  /**
   * JSON array of `{ name, cron, timezone = "UTC", subject, payload }`; by default one daily report at
   * midnight UTC. Checked at start-up: cron syntax, time zone, subject contract, payload, unique names.
   */
  SCHEDULES: SchedulesJson,
  /** Wait before trying a tick again after the broker refused the publish or the state update. */
  SCHEDULER_RETRY_DELAY: envDurationMs()
    .pipe(z.number().min(100, 'expected at least 100ms, so a broker outage is not hammered'))
    .default(5_000),
});

export type SchedulerConfig = z.output<typeof SchedulerEnv>;
