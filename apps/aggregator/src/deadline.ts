/**
 * Fails reports that stopped making progress. A stuck report is the failure mode users of Celery
 * chords and BullMQ flows know best; here it becomes `failed` with a reason after the deadline.
 * Replicas may sweep at the same time: the msg id makes their announcements one.
 */
import { Subjects, type ReportStage, type ReportState } from '@hotrepos/contracts';
import { isFinal } from '@hotrepos/reports';
import type { AggregatorContext } from './aggregator-context.js';

const STAGE_OF: Record<ReportState, ReportStage> = {
  queued: 'request',
  fetching: 'fetch',
  aggregating: 'aggregate',
  importing: 'import',
  ready: 'import',
  failed: 'request',
};

export async function failStalledReports(app: AggregatorContext, deadlineMs: number): Promise<number> {
  const now = app.now();
  let stalled = 0;
  for (const status of await app.statuses.list()) {
    if (isFinal(status) || now.getTime() - Date.parse(status.updatedAt) < deadlineMs) continue;
    stalled++;
    const error = { stage: STAGE_OF[status.state], code: 'deadline_exceeded', message: `no progress for ${Math.round(deadlineMs / 1000)} s while ${status.state} (${status.pagesDone}/${status.pagesTotal} pages)` };
    app.log('deadline').warn({ reportId: status.reportId, ...error }, 'report stalled past its deadline');
    // Only announced here; the `reports.failed` handler records it like any other stage's failure. Until
    // it has, every sweep announces again and the msg id keeps it one message.
    await app.bus.publish(Subjects.ReportsFailed, { reportId: status.reportId, ...error }, { msgId: `${status.reportId}:failed` });
  }
  return stalled;
}
