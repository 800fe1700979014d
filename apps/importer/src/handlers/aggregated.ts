/**
 * `reports.aggregated`: write the CSV, store it, announce it, mark the report ready. Every step can
 * be repeated, so a redelivery (or two replicas) rewrites the same bytes and the `reports.ready`
 * msg id makes the stream keep one announcement.
 */
import type { MessageContext } from '@hotrepos/bus';
import { Subjects, type PayloadOf } from '@hotrepos/contracts';
import type { Logger } from '@hotrepos/logging';
import { isFinal } from '@hotrepos/reports';
import type { ImporterContext } from '../importer-context.js';
import { reportCsv } from '../report-csv.js';
import { storeReport } from '../store-report.js';

// ReportError.message's limit in the contract.
const MAX_ERROR_MESSAGE = 2000;

export async function handleAggregated(app: ImporterContext, report: PayloadOf<'reports.aggregated'>, msg: MessageContext): Promise<void> {
  const { reportId, since } = report;
  const log = app.log('import').child({ reportId });
  try {
    const file = await storeReport(app, reportId, since, reportCsv(report.groups, app.format));
    // Announcement and status are independent and each idempotent, so they go out together.
    const [ack, status] = await Promise.all([
      app.bus.publish(Subjects.ReportsReady, { reportId, file }, { msgId: `${reportId}:ready` }),
      app.statuses.update(reportId, (s) => (isFinal(s) ? undefined : { ...s, state: 'ready', file, updatedAt: app.now().toISOString() })),
    ]);
    log.info({ path: file.path, bytes: file.bytes, format: app.format, announcedBefore: ack.duplicate, state: status?.state }, 'report imported');
  } catch (err) {
    // On the last delivery the bus dead-letters the message: say so now rather than leave the report to the aggregator's deadline.
    if (msg.deliveryCount >= app.maxDeliver) await announceFailure(app, reportId, err, log);
    throw err;
  }
}

async function announceFailure(app: ImporterContext, reportId: string, err: unknown, log: Logger): Promise<void> {
  const message = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_MESSAGE);
  try {
    // The same msg id as the aggregator's deadline uses, so a report is announced as failed once.
    await app.bus.publish(Subjects.ReportsFailed, { reportId, stage: 'import', code: 'import_failed', message }, { msgId: `${reportId}:failed` });
  } catch (publishErr) {
    log.error({ err: publishErr }, 'could not announce the failed import');
  }
}
