/**
 * The importer, built from its dependencies so tests can start it against a real nats-server.
 */
import { resolve } from 'node:path';
import { DEFAULT_BACKOFF } from '@hotrepos/bus';
import { ObjectStores, Subjects } from '@hotrepos/contracts';
import type { Logger, TaskLoggers } from '@hotrepos/logging';
import { ReportStatusStore } from '@hotrepos/reports';
import type { HotBus, RunningService } from '@hotrepos/runtime';
import type { ImporterConfig } from './config.js';
import { handleAggregated } from './handlers/aggregated.js';
import type { ImporterContext } from './importer-context.js';

export interface ImporterDeps {
  readonly bus: HotBus;
  readonly logger: Logger;
  readonly tasks?: TaskLoggers;
  readonly config: ImporterConfig;
  readonly now?: () => Date;
}

export async function startImporter({ bus, logger, tasks, config, now = () => new Date() }: ImporterDeps): Promise<RunningService> {
  const app: ImporterContext = {
    bus,
    statuses: await ReportStatusStore.open(bus.transport),
    reports: await bus.transport.objectStore(ObjectStores.Reports),
    mediaRoot: resolve(config.MEDIA_ROOT),
    format: config.REPORT_FORMAT,
    maxDeliver: config.IMPORTER_MAX_DELIVER,
    now,
    log: (task) => tasks?.forTask(task) ?? logger.child({ task }),
  };
  const subscription = await bus.consume(Subjects.ReportsAggregated, (report, msg) => handleAggregated(app, report, msg), {
    concurrency: config.IMPORTER_CONCURRENCY,
    maxDeliver: config.IMPORTER_MAX_DELIVER,
    backoff: { initialMs: config.IMPORTER_RETRY_BACKOFF, maxMs: DEFAULT_BACKOFF.maxMs },
  });
  logger.info({ mediaRoot: app.mediaRoot, format: app.format }, 'importer ready');
  return { stop: () => subscription.stop() };
}
