/**
 * The aggregator, built from its dependencies so tests can start it against a real nats-server.
 */
import type { Subscription } from '@hotrepos/bus';
import { Subjects } from '@hotrepos/contracts';
import type { Logger, TaskLoggers } from '@hotrepos/logging';
import { ReportStatusStore } from '@hotrepos/reports';
import type { HotBus, RunningService } from '@hotrepos/runtime';
import type { AggregatorContext } from './aggregator-context.js';
import type { AggregatorConfig } from './config.js';
import { failStalledReports } from './deadline.js';
import { handleFailed } from './handlers/failed.js';
import { handlePage } from './handlers/page.js';
import { handleReady } from './handlers/ready.js';
import { handleRequest } from './handlers/request.js';
import { NotifyStore } from './notify-store.js';
import { PageStore } from './page-store.js';

export interface AggregatorDeps {
  readonly bus: HotBus;
  readonly logger: Logger;
  readonly tasks?: TaskLoggers;
  readonly config: AggregatorConfig;
  readonly now?: () => Date;
}

export async function startAggregator({ bus, logger, tasks, config, now = () => new Date() }: AggregatorDeps): Promise<RunningService> {
  const app: AggregatorContext = {
    bus,
    statuses: await ReportStatusStore.open(bus.transport),
    pages: await PageStore.open(bus.transport, { now }),
    notify: await NotifyStore.open(bus.transport),
    now,
    log: (task) => tasks?.forTask(task) ?? logger.child({ task }),
  };
  const concurrency = config.AGGREGATOR_CONCURRENCY;
  const subscriptions: Subscription[] = await Promise.all([
    bus.consume(Subjects.ReportsRequest, (request, msg) => handleRequest(app, request, msg), { concurrency }),
    bus.consume(Subjects.ReportsPage, (page, msg) => handlePage(app, page, msg), { concurrency }),
    bus.consume(Subjects.ReportsFailed, (failed) => handleFailed(app, failed), { concurrency }),
    bus.consume(Subjects.ReportsReady, (ready) => handleReady(app, ready), { concurrency }),
  ]);

  // A chain of timeouts rather than an interval: a slow sweep never overlaps the next one.
  let stopped = false;
  let sweeping: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const scheduleSweep = () => {
    timer = setTimeout(() => {
      sweeping = failStalledReports(app, config.REPORT_DEADLINE)
        .catch((err: unknown) => logger.error({ err }, 'deadline sweep failed'))
        .finally(() => {
          if (!stopped) scheduleSweep();
        });
    }, config.DEADLINE_SWEEP_INTERVAL);
  };
  scheduleSweep();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await sweeping;
      await Promise.all(subscriptions.map((s) => s.stop()));
    },
  };
}
