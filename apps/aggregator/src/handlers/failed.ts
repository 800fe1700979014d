/** `reports.failed`: any stage gave up on a report; the aggregator, which owns it, records why. */
import type { PayloadOf } from '@hotrepos/contracts';
import { isFinal } from '@hotrepos/reports';
import type { AggregatorContext } from '../aggregator-context.js';
import { notifyRequester } from '../notify.js';

export async function handleFailed(app: AggregatorContext, failed: PayloadOf<'reports.failed'>): Promise<void> {
  const { reportId, stage, code, message } = failed;
  const updated = await app.statuses.update(reportId, (s) => (isFinal(s) ? undefined : { ...s, state: 'failed', error: { stage, code, message }, updatedAt: app.now().toISOString() }));
  app.log('failed').warn({ reportId, stage, code, message, state: updated?.state }, 'report failed');
  // A late failure of a report that was ready is no news for the requester.
  if (updated?.state === 'failed') await notifyRequester(app, reportId, 'report-failed', { reportId, stage, code, message });
}
