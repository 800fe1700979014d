/**
 * `errors.report`: counted into the open digest window, and acknowledged once that window's digest
 * is sent. A digest the SMTP server would not take yet sends the report back, to be counted into a
 * later one (the bus's backoff, then its dead letters once `MAILER_MAX_DELIVER` is spent).
 */
import { TransientError } from '@hotrepos/bus';
import type { PayloadOf } from '@hotrepos/contracts';
import type { MailerContext } from '../mailer-context.js';

export async function handleErrorReport(app: MailerContext, report: PayloadOf<'errors.report'>): Promise<void> {
  const log = app.log('digest');
  if (!app.digests) {
    log.error({ errorReport: report }, 'error reported; ADMINS is not set, so it is logged, not mailed');
    return;
  }
  const outcome = app.digests.record(report);
  log.debug({ fingerprint: report.fingerprint, service: report.service }, 'error counted for the digest');
  if ((await outcome) === 'deferred') throw new TransientError('the error digest holding this report was not sent; it will be counted into a later one');
}
