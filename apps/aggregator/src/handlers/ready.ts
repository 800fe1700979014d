/** `reports.ready`: the file exists; tell whoever asked to be told. */
import type { PayloadOf } from '@hotrepos/contracts';
import type { AggregatorContext } from '../aggregator-context.js';
import { notifyRequester } from '../notify.js';

export async function handleReady(app: AggregatorContext, ready: PayloadOf<'reports.ready'>): Promise<void> {
  // Most reports have nobody to tell: then there is nothing to look up either.
  const record = await app.notify.get(ready.reportId);
  if (!record) return;
  const status = await app.statuses.get(ready.reportId);
  // A report failed (say, by its deadline) before the file arrived was announced as failed already.
  if (status?.state === 'failed') return;
  await notifyRequester(
    app,
    ready.reportId,
    'report-ready',
    {
      reportId: ready.reportId,
      ...(status?.period ? { period: status.period } : {}),
      ...(status?.since ? { since: status.since } : {}),
      file: ready.file,
    },
    record,
  );
}
