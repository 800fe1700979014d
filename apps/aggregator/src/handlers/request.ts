/**
 * `reports.request`: turn a request into a report. Idempotent: the same requestId (or a
 * redelivery of the same message) finds the report already planned and only finishes what a
 * crash may have left undone.
 */
import type { PayloadOf } from '@hotrepos/contracts';
import { HeaderNames, Subjects } from '@hotrepos/contracts';
import { sinceDate, utcDate } from '@hotrepos/reports';
import { currentScope, withScope, type MessageContext } from '@hotrepos/bus';
import { reportIdFor } from '../report-id.js';
import type { AggregatorContext } from '../aggregator-context.js';

export async function handleRequest(app: AggregatorContext, request: PayloadOf<'reports.request'>, msg: MessageContext): Promise<void> {
  const now = app.now();
  // The day the request was made, not the day it is handled: a redelivery after midnight is still the same report.
  const today = utcDate(msg.publishedAt);
  const refDate = request.refDate ?? today;
  const since = sinceDate(request.period, refDate);
  const reportId = reportIdFor(request.requestId, { streamSeq: msg.streamSeq, correlationId: msg.headers[HeaderNames.CorrelationId]?.[0], today });
  const log = app.log('request').child({ reportId });

  const created = await app.statuses.createEntry({
    reportId,
    state: 'queued',
    pagesDone: 0,
    pagesTotal: request.pages,
    period: request.period,
    since,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  const status = created ? undefined : await app.statuses.get(reportId);
  if (status && status.state !== 'queued') {
    log.info({ state: status.state }, 'repeated request for an existing report; nothing to do');
    return;
  }
  log.info({ period: request.period, since, pages: request.pages, resumed: !created }, 'report planned');
  const locale = request.locale ?? currentScope().locale;
  if (request.notify?.length) await app.notify.save(reportId, { notify: request.notify, ...(locale ? { locale } : {}) });

  // A locale in the request is the requester's explicit choice: it wins over the header's for the whole chain.
  // Msg ids make re-publishing after a crash harmless: the stream drops the copies.
  await withScope({ locale: request.locale }, () =>
    Promise.all(
      Array.from({ length: request.pages }, (_, i) =>
        app.bus.publish(Subjects.ReportsFetch, { reportId, since, page: i + 1, perPage: request.perPage }, { msgId: `${reportId}:fetch:${i + 1}` }),
      ),
    ),
  );
  await app.statuses.update(reportId, (s) => (s.state === 'queued' ? { ...s, state: 'fetching', updatedAt: app.now().toISOString() } : undefined), created ? { from: created } : {});
}
