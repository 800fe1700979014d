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
   * Error reports one replica holds while their digest window is open (each is acknowledged once its
   * digest is sent). A storm beyond it, or beyond the server's default of 1,000 unacknowledged
   * messages per consumer (shared by the replicas), waits on the server and opens the next window.
   */
  ERROR_DIGEST_MAX_PENDING: positiveInt().default(1_000),
  /** How long the server waits for an acknowledgement before it delivers a message again (handlers at work extend it). */
  MAILER_ACK_WAIT: envDurationMs().pipe(z.int().positive()).default(30_000),
  /** Messages sent at once by this replica; also the size of its SMTP connection pool. */
  MAILER_CONCURRENCY: positiveInt().default(4),
  /** Deliveries of a `mail.send`, or of an error report whose digest keeps failing temporarily, before it is dead-lettered. */
  MAILER_MAX_DELIVER: positiveInt().default(5),
  /** First retry delay after a temporary failure (SMTP 4xx, server unreachable); it doubles on each further one. */
  MAILER_RETRY_INITIAL: envDurationMs().default(1_000),
});

export type MailerConfig = z.output<typeof MailerEnv>;
