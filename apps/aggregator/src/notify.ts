/**
 * Tells the requester how a report ended, by `mail.send`. The e-mail's language is the scope's:
 * the bus carried the requester's locale from the request through every stage to here. Only when
 * that chain was broken (a report failed by the deadline sweep, outside any message) does the
 * locale kept with the request stand in.
 */
import { currentScope } from '@hotrepos/bus';
import { Subjects, type MailTemplate } from '@hotrepos/contracts';
import type { AggregatorContext } from './aggregator-context.js';
import type { NotifyRecord } from './notify-store.js';

/** `known`: the requester's record when the caller has read it already. */
export async function notifyRequester(app: AggregatorContext, reportId: string, template: MailTemplate, data: Record<string, unknown>, known?: NotifyRecord): Promise<void> {
  const record = known ?? (await app.notify.get(reportId));
  if (!record) return;
  const locale = currentScope().locale ?? record.locale;
  await app.bus.publish(
    Subjects.MailSend,
    { to: record.notify, template, data },
    { msgId: `${reportId}:mail:${template}`, ...(locale ? { scope: { locale } } : {}) },
  );
  app.log('notify').info({ reportId, template, recipients: record.notify.length }, 'requester notified');
}
