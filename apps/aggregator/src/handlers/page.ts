/**
 * `reports.page`: store the page once, record progress, and when every page is in, join them and
 * hand the report to the importer. Every step is idempotent, so a redelivered page, two
 * aggregator replicas or a restart mid-report still produce exactly one `reports.aggregated`.
 */
import { UnrecoverableError, type MessageContext } from '@hotrepos/bus';
import { Subjects, type PayloadOf, type ReportStatus } from '@hotrepos/contracts';
import { isFinal } from '@hotrepos/reports';
import type { AggregatorContext } from '../aggregator-context.js';
import { groupByLanguage } from '../group.js';

export async function handlePage(app: AggregatorContext, page: PayloadOf<'reports.page'>, msg: MessageContext): Promise<void> {
  const { reportId } = page;
  const log = app.log('page').child({ reportId, page: page.page });
  const read = await app.statuses.read(reportId);
  if (!read) throw new UnrecoverableError(`page ${page.page} for unknown report ${reportId}`);
  const { status } = read;
  if (isFinal(status)) {
    app.pages.forget(reportId);
    log.info({ state: status.state }, 'page for a finished report; ignored');
    return;
  }
  const fresh = await app.pages.save(page);
  // Read once: the pages counted here are the pages joined below, since a stored page is never removed.
  const stored = await app.pages.stored(reportId, status.pagesTotal);
  const pagesDone = stored.count;
  log.info({ items: page.items.length, duplicate: !fresh, pagesDone, pagesTotal: status.pagesTotal }, 'page stored');

  const complete = pagesDone >= status.pagesTotal;
  const next = complete ? 'aggregating' : 'fetching';
  let completedHere = false;
  const advance = (s: ReportStatus): ReportStatus | undefined => {
    // Decided afresh on every attempt: a write that lost its compare-and-set race completed nothing.
    completedHere = false;
    // Progress only moves forward: a slower replica's smaller count or an earlier state never overwrites a later one.
    if (s.state !== 'queued' && s.state !== 'fetching') return undefined;
    if (s.state === next && s.pagesDone >= pagesDone) return undefined;
    completedHere = next === 'aggregating';
    return { ...s, state: next, pagesDone: Math.max(s.pagesDone, pagesDone), updatedAt: app.now().toISOString() };
  };
  if (!complete) {
    // Progress on the way is shown, not relied on: one try, from the status read above. Losing the race means another
    // page's handler wrote meanwhile; its count or the next one's shows progress, and completion is decided below, never here.
    await app.statuses.tryUpdate(reportId, advance, read);
    return;
  }
  // Completion is written with compare-and-set until it holds: exactly one handler completes the report.
  const after = await app.statuses.updateEntry(reportId, advance, { from: read });
  // The handler whose write completed the report joins it; a redelivered page joins again only while the
  // report is still `aggregating` (its handler crashed mid-join). Never once the importer has it.
  if (after?.status.state !== 'aggregating' || !(completedHere || msg.deliveryCount > 1)) return;

  const groups = groupByLanguage(stored.pages());
  const { since, period } = after.status;
  if (!since || !period) throw new UnrecoverableError(`report ${reportId} has no since/period in its status`);
  await app.bus.publish(Subjects.ReportsAggregated, { reportId, since, period, groups }, { msgId: `${reportId}:aggregated` });
  await app.statuses.update(reportId, (s) => (s.state === 'aggregating' ? { ...s, state: 'importing', updatedAt: app.now().toISOString() } : undefined), { from: after });
  app.pages.forget(reportId);
  log.info({ languages: groups.length, repos: groups.reduce((n, g) => n + g.repos.length, 0) }, 'report joined');
}
