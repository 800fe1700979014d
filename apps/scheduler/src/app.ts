/**
 * The scheduler (Celery beat, but safe to run as several replicas), built from its dependencies so
 * tests can start it against a real nats-server with a clock they move by hand.
 */
import { Subjects } from '@hotrepos/contracts';
import type { Logger } from '@hotrepos/logging';
import type { HotBus, RunningService } from '@hotrepos/runtime';
import { SystemClock, type Clock } from './clock.js';
import type { SchedulerConfig } from './config.js';
import { describeSchedules } from './describe-schedules.js';
import { runSchedule } from './run-schedule.js';
import { TickStateStore } from './tick-state.js';

export interface SchedulerDeps {
  readonly bus: HotBus;
  readonly logger: Logger;
  readonly config: SchedulerConfig;
  readonly clock?: Clock;
}

const RUNS_LOGGED_AT_START = 3;

export async function startScheduler({ bus, logger, config, clock = new SystemClock() }: SchedulerDeps): Promise<RunningService> {
  const schedules = config.SCHEDULES;
  const state = await TickStateStore.open(bus.transport);

  for (const { name, next, ...rest } of describeSchedules(schedules, clock.now(), RUNS_LOGGED_AT_START)) {
    logger.info({ schedule: name, ...rest, next }, `schedule ${name}: next runs ${next.join(', ')}`);
  }
  for (const { name, subject, payload } of schedules) {
    if (subject === Subjects.ReportsRequest && payload['requestId'] !== undefined) {
      logger.warn({ schedule: name, requestId: payload['requestId'] }, 'payload sets a fixed requestId: the aggregator will take every tick after the first for a repeat');
    }
  }

  const stopping = new AbortController();
  const context = { bus, state, clock, logger, retryDelayMs: config.SCHEDULER_RETRY_DELAY, signal: stopping.signal };
  const loops = schedules.map((schedule) => runSchedule(context, schedule));

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await Promise.all(loops);
      })();
      return stopped;
    },
  };
}
