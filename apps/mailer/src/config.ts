import { envDurationMs, envInt, envList } from '@hotrepos/config';
import { Email, Locale } from '@hotrepos/contracts';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';

const positiveInt = () => envInt().pipe(z.int().positive());

/** One mailbox, bare or with a display name; checked here because a bad sender would fail every message. */
const Mailbox = z
  .string()
  .trim()
  .refine((value) => {
    const parsed = addressparser(value, { flatten: true });
    return parsed.length === 1 && /^[^\s@]+@[^\s@]+$/.test(parsed[0]?.address ?? '');
  }, 'expected one address, like "hotrepos <hotrepos@example.com>"');

export const MailerEnv = z.object({
  /** `smtp://[user:pass@]host:port`, or `smtps://` for TLS from the first byte. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: Mailbox.default('hotrepos <hotrepos@localhost>'),
  /** Who gets the error digests; when empty, errors are only logged. */
  ADMINS: envList(Email).default([]),
  /** The language of the error digests, which have no requester whose locale could be inherited. */
  ADMIN_LOCALE: Locale.default('en'),
  /** The first error after a quiet spell opens a window; at its end one digest lists every fingerprint seen in it. */
  ERROR_DIGEST_WINDOW: envDurationMs().pipe(z.int().positive()).default(60_000),
  /**
   * Error reports a digest window holds unacknowledged until its digest is sent. Past it, a report
   * of a fingerprint the window already holds is counted and acknowledged at once (a storm stays one
   * digest per window); a new fingerprint is still held.
   */
  ERROR_DIGEST_MAX_HELD: positiveInt().default(1_000),
  /**
   * Deliveries of an error report whose digest the SMTP server keeps deferring before it is
   * dead-lettered (`dlq.errors.report`); each costs a window and the digest's retries, so the
   * default covers about an hour of SMTP outage at the default window.
   */
  ERROR_DIGEST_MAX_DELIVER: positiveInt().default(50),
  /**
   * How long the server waits for an acknowledgement before it delivers a message again: how soon a
   * dead mailer's messages come back. Handlers at work extend it (a third of it at a time, at least 250 ms apart).
   */
  MAILER_ACK_WAIT: envDurationMs().pipe(z.int().min(1_000)).default(30_000),
  /** Messages sent at once by this replica; also the size of its SMTP connection pool. */
  MAILER_CONCURRENCY: positiveInt().default(4),
  /** Deliveries of a `mail.send` that keeps failing temporarily before it is dead-lettered. */
  MAILER_MAX_DELIVER: positiveInt().default(5),
  /** First retry delay after a temporary failure (SMTP 4xx, server unreachable); it doubles on each further one. */
  MAILER_RETRY_INITIAL: envDurationMs().default(1_000),
});

export type MailerConfig = z.output<typeof MailerEnv>;
