/** `reports.failed`: any stage gave up on a report; the aggregator, which owns it, records why. */
import type { PayloadOf } from '@hotrepos/contracts';
import { isFinal } from '@hotrepos/reports';
import type { AggregatorContext } from '../aggregator-context.js';
import { notifyRequester } from '../notify.js';

export async function handleFailed(app: AggregatorContext, failed: PayloadOf<'reports.failed'>): Promise<void> {
  const { reportId, stage, code, message } = failed;
  let changed = false;
  await app.statuses.update(reportId, (s) => {
    // Decided afresh on every attempt: a write that lost its compare-and-set race changed nothing.
    changed = false;
    if (isFinal(s)) return undefined;
    changed = true;
    return { ...s, state: 'failed', error: { stage, code, message }, updatedAt: app.now().toISOString() };
  });
  // Its pages will not be joined now; a late page is ignored once the status is final.
  if (changed) app.pages.forget(reportId);
  app.log('failed').warn({ reportId, stage, code, message, recorded: changed }, 'report failed');
  // Only the failure that ended the report is news: not a second one, nor a late one after it was ready.
  if (changed) await notifyRequester(app, reportId, 'report-failed', { reportId, stage, code, message });
}
