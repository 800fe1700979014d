/** A schedule in `SCHEDULES` that cannot run: its cron, time zone, subject or payload is wrong. */
export class InvalidScheduleError extends Error {
  override readonly name = 'InvalidScheduleError';
  readonly code = 'SCHEDULE_INVALID';
  constructor(
    readonly schedule: string,
    /** The definition's field at fault, so config errors can point at it. */
    readonly field: 'name' | 'cron' | 'timezone' | 'subject' | 'payload',
    message: string,
    options?: ErrorOptions,
  ) {
    super(`schedule "${schedule}": ${message}`, options);
  }
}
