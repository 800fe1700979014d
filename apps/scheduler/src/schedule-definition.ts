/** One entry of `SCHEDULES` as written by an operator, before its cron, zone and payload are checked. */
import { z } from 'zod';

export const ScheduleDefinition = z.strictObject({
  // The name goes into a KV key, a Nats-Msg-Id and a requestId; this alphabet is safe in all three.
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'Expected letters, digits, "_" and "-"'),
  /** Five fields (minute hour day-of-month month day-of-week) or a nickname such as `@daily`. */
  cron: z.string().min(1),
  /** IANA name; the cron fields are read as wall-clock time there. */
  timezone: z.string().min(1).default('UTC'),
  /** A subject with a contract in `@hotrepos/contracts`. */
  subject: z.string().min(1),
  payload: z.record(z.string(), z.unknown()).default({}),
});
export type ScheduleDefinition = z.infer<typeof ScheduleDefinition>;

/** The original's beat schedule: a daily report at midnight UTC. */
export const DEFAULT_SCHEDULES: readonly ScheduleDefinition[] = [
  { name: 'daily-report', cron: '0 0 * * *', timezone: 'UTC', subject: 'reports.request', payload: { period: 'day' } },
];
