/**
 * One schedule's life in one replica: run the tick that is due, sleep until the next, repeat.
 * "Due" is the latest tick at or before now that the shared state has not recorded, so after
 * downtime (or a suspended machine) the missed ticks collapse into one run, and a tick that another
 * replica recorded is skipped. Replicas that race on the same tick publish the same message id, and
 * JetStream stores it once.
 */
import type { InputOf, Subject } from '@hotrepos/contracts';
import type { Logger } from '@hotrepos/logging';
import type { HotBus } from '@hotrepos/runtime';
import type { Clock } from './clock.js';
import type { Schedule } from './schedule.js';
import { tickMessage } from './tick-message.js';
import type { TickStateStore } from './tick-state.js';

export interface ScheduleContext {
  readonly bus: HotBus;
  readonly state: TickStateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retryDelayMs: number;
  /** Aborted by stop(): ends sleeps at once; a tick being published is finished first. */
  readonly signal: AbortSignal;
}

export async function runSchedule(ctx: ScheduleContext, schedule: Schedule): Promise<void> {
  const log = ctx.logger.child({ schedule: schedule.name });
  while (!ctx.signal.aborted) {
    let wakeAt: Date | undefined;
    try {
      await runDueTick(ctx, schedule, log);
      wakeAt = schedule.times.next(ctx.clock.now());
      if (!wakeAt) {
        log.warn({ cron: schedule.cron }, 'schedule has no further run times; it stops here');
        return;
      }
    } catch (err) {
      // The same tick is still due after the wait, unless a later one has become due meanwhile.
      wakeAt = new Date(ctx.clock.now().getTime() + ctx.retryDelayMs);
      log.error({ err, retryAt: wakeAt.toISOString() }, 'tick failed; will try again');
    }
    await ctx.clock.sleepUntil(wakeAt, ctx.signal);
  }
}

async function runDueTick(ctx: ScheduleContext, schedule: Schedule, log: Logger): Promise<void> {
  const now = ctx.clock.now();
  const state = await ctx.state.get(schedule.name);
  if (!state) {
    // A first deploy owes nothing: firing the latest past tick would surprise whoever just added the schedule.
    await ctx.state.begin(schedule.name, now);
    log.info({ since: now.toISOString() }, 'schedule seen for the first time: no catch-up, it runs from its next tick');
    return;
  }
  const due = schedule.times.latest(now);
  if (!due || due.getTime() <= Date.parse(state.lastTick)) return;

  const { subject, payload, msgId } = tickMessage(schedule, due);
  // Checked against the subject's contract at start-up (and again by the bus), so the cast only names the type.
  const ack = await ctx.bus.publish(subject, payload as InputOf<Subject>, { msgId });
  log.info(
    { tick: due.toISOString(), subject, msgId, duplicate: ack.duplicate, seq: ack.seq, lastTick: state.lastTick, lateMs: now.getTime() - due.getTime() },
    'tick published',
  );
  await ctx.state.advance(schedule.name, due, ctx.clock.now());
}
