/** A key of the `scheduler-state` bucket holds something other than `{ lastTick, at }`, e.g. after a hand edit. */
export class SchedulerStateError extends Error {
  override readonly name = 'SchedulerStateError';
  readonly code = 'SCHEDULER_STATE_INVALID';
  constructor(
    readonly bucket: string,
    readonly key: string,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${bucket}/${key} is not a schedule state ({ lastTick, at }): ${problem}`, options);
  }
}
