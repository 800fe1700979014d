/** `errors.report`: counted into the open digest window, and acknowledged once counted. */
import type { PayloadOf } from '@hotrepos/contracts';
import type { MailerContext } from '../mailer-context.js';

export async function handleErrorReport(app: MailerContext, report: PayloadOf<'errors.report'>): Promise<void> {
  const log = app.log('digest');
  if (!app.digests) {
    log.error({ errorReport: report }, 'error reported; ADMINS is not set, so it is logged, not mailed');
    return;
  }
  app.digests.record(report);
  log.debug({ fingerprint: report.fingerprint, service: report.service }, 'error counted for the digest');
}
