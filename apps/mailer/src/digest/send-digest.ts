/**
 * Mails one error digest to the admins. The mailer's own failures are logged, never reported on
 * `errors.report` (that would feed the next digest): a temporary failure is retried a few times in
 * process, then the digest is dropped with its counts in the log.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay, type BackoffPolicy } from '@hotrepos/bus';
import type { Logger } from '@hotrepos/logging';
import type { MailLocale } from '../locale.js';
import type { MailTransport } from '../mail-transport.js';
import { SmtpRejectedError, SmtpUnavailableError } from '../smtp-errors.js';
import type { ErrorDigestData } from '../templates/error-digest.js';
import { renderMail } from '../templates/render-mail.js';
import type { RenderedMail } from '../templates/template.js';

const ATTEMPTS = 4;

export interface DigestSending {
  readonly transport: MailTransport;
  readonly admins: readonly string[];
  readonly locale: MailLocale;
  readonly retry: BackoffPolicy;
  /** Aborted on stop: the wait for the next attempt ends and that attempt is the last. */
  readonly stopping: AbortSignal;
  readonly log: Logger;
}

/** Never rejects. */
export async function sendDigest(d: DigestSending, digest: ErrorDigestData): Promise<void> {
  const counts = digestCounts(digest);
  let mail: RenderedMail;
  try {
    mail = renderMail('error-digest', d.locale, digest);
  } catch (err) {
    d.log.error({ err, ...counts }, 'error digest dropped: it could not be rendered');
    return;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const sent = await d.transport.send({ to: d.admins, ...mail });
      d.log.info({ ...counts, attempts: attempt, messageId: sent.messageId }, 'error digest sent');
      return;
    } catch (err) {
      if (err instanceof SmtpRejectedError && err.delivered.length > 0) {
        d.log.error({ err, ...counts, delivered: err.delivered }, 'error digest refused for some admins');
        return;
      }
      if (!(err instanceof SmtpUnavailableError) || attempt >= ATTEMPTS || d.stopping.aborted) {
        d.log.error({ err, ...counts, attempts: attempt }, 'error digest dropped');
        return;
      }
      const retryInMs = backoffDelay(d.retry, attempt);
      d.log.warn({ err, attempt, retryInMs }, 'error digest not sent; will retry');
      // An abort (stop) ends the wait early; the loop then makes its last attempt at once.
      await sleep(retryInMs, undefined, { signal: d.stopping }).catch(() => undefined);
    }
  }
}

/** What the log keeps of a digest: enough to know what the admins did not get. */
function digestCounts(digest: ErrorDigestData) {
  return {
    errors: digest.entries.reduce((sum, e) => sum + e.count, 0) + (digest.omitted?.reports ?? 0),
    fingerprints: digest.entries.map(({ fingerprint, count, service, subject }) => ({ fingerprint, count, service, subject })),
    ...(digest.omitted ? { omitted: digest.omitted } : {}),
  };
}
