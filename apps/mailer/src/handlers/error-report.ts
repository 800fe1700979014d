/**
 * `errors.report`: counted into the open digest window, and acknowledged once that window's digest
 * is sent (or at once, for a storm's repeats beyond what a window holds). A digest the SMTP server
 * would not take yet sends the report back, to be counted into a later one (the bus's backoff,
 * then a dead letter in `dlq.errors.report` once `ERROR_DIGEST_MAX_DELIVER` is spent).
 */
import { TransientError, type MessageContext } from '@hotrepos/bus';
import type { PayloadOf } from '@hotrepos/contracts';
import type { MailerContext } from '../mailer-context.js';

export async function handleErrorReport(app: MailerContext, report: PayloadOf<'errors.report'>, msg: MessageContext): Promise<void> {
  const log = app.log('digest');
  if (!app.digests) {
    log.error({ errorReport: report }, 'error reported; ADMINS is not set, so it is logged, not mailed');
    return;
  }
  const recorded = app.digests.record(report, msg.streamSeq);
  log.debug({ fingerprint: report.fingerprint, service: report.service, held: recorded !== 'released' }, 'error counted for the digest');
  if (recorded === 'released') return;
  if ((await recorded) === 'deferred') throw new TransientError('the error digest holding this report was not sent; it will be counted into a later one');
}
