/**
 * Mails one error digest to the admins. The mailer's own failures are logged, never reported on
 * `errors.report` (that would feed the next digest): a temporary failure is retried a few times in
 * process, then the digest is given up with its counts in the log and its reports come back for a
 * later one; a digest that can never go out (refused for good, unrenderable) is dropped.
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

/**
 * What became of a digest, and so of the reports in it: `sent` (or refused for some admins only),
 * `dropped` for good, or `deferred`: the SMTP server could not be reached or kept deferring, and the
 * reports are worth counting into a later digest.
 */
export type DigestOutcome = 'sent' | 'dropped' | 'deferred';

/** Never rejects. */
export async function sendDigest(d: DigestSending, digest: ErrorDigestData): Promise<DigestOutcome> {
  const counts = digestCounts(digest);
  let mail: RenderedMail;
  try {
    mail = renderMail('error-digest', d.locale, digest);
  } catch (err) {
    d.log.error({ err, ...counts }, 'error digest dropped: it could not be rendered');
    return 'dropped';
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const sent = await d.transport.send({ to: d.admins, ...mail });
      d.log.info({ ...counts, attempts: attempt, messageId: sent.messageId }, 'error digest sent');
      return 'sent';
    } catch (err) {
      if (err instanceof SmtpRejectedError && err.delivered.length > 0) {
        d.log.error({ err, ...counts, delivered: err.delivered }, 'error digest refused for some admins');
        return 'sent';
      }
      if (!(err instanceof SmtpUnavailableError)) {
        d.log.error({ err, ...counts, attempts: attempt }, 'error digest dropped');
        return 'dropped';
      }
      if (attempt >= ATTEMPTS || d.stopping.aborted) {
        d.log.warn({ err, ...counts, attempts: attempt }, 'error digest not sent; its errors come back for a later digest');
        return 'deferred';
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
