/**
 * Sending a rendered mail over SMTP through one pool of connections, with nodemailer's failures
 * turned into `SmtpRejectedError` (permanent) or `SmtpUnavailableError` (temporary).
 */
import { createTransport, type NodemailerError } from 'nodemailer';
import { SmtpRejectedError, SmtpUnavailableError } from './smtp-errors.js';

export interface OutgoingMail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface MailTransport {
  /** Resolves once the server accepted the mail for every recipient. */
  send(mail: OutgoingMail): Promise<{ readonly messageId: string }>;
  /** Closes the pool's connections; call once no send is in flight. */
  close(): void;
}

export interface MailTransportOptions {
  readonly url: string;
  readonly from: string;
  readonly connections: number;
}

/*
 * nodemailer waits up to 2 minutes to connect and 10 minutes on a silent socket by default: far
 * longer than a message should hold a handler. A slow server is retried later instead.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 };

export function createMailTransport({ url, from, connections }: MailTransportOptions): MailTransport {
  const transporter = createTransport({ url, pool: true, maxConnections: connections, ...TIMEOUTS, logger: false }, { from });
  return {
    async send(mail) {
      const info = await transporter.sendMail({ to: [...mail.to], subject: mail.subject, text: mail.text, html: mail.html }).catch((err: unknown) => {
        throw smtpFailure(err);
      });
      if (info.rejected.length > 0) throw partlyRejected(info.accepted, info.rejectedErrors ?? []);
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

function smtpFailure(err: unknown): SmtpRejectedError | SmtpUnavailableError {
  const e = err as NodemailerError;
  const refusals = e.rejectedErrors?.length ? e.rejectedErrors : [e];
  if (e.permanent === true) return new SmtpRejectedError(`SMTP server refused the mail: ${describe(refusals)}`, e.responseCode, [], { cause: err });
  // Everything without a permanent reply is retried: 4xx and 503, connection refused or reset, timeouts, DNS.
  const message = e.responseCode === undefined ? `SMTP server unreachable: ${e.code ?? 'error'}: ${e.message}` : `SMTP server deferred the mail: ${describe(refusals)}`;
  return new SmtpUnavailableError(message, e.responseCode, { cause: err });
}

/*
 * Some recipients got the mail and some were refused: sending it again would reach the first ones
 * twice, so this counts as permanent even when a refusal was temporary.
 */
function partlyRejected(accepted: readonly string[], refusals: readonly NodemailerError[]): SmtpRejectedError {
  return new SmtpRejectedError(
    `SMTP server refused ${refusals.length} recipient(s): ${describe(refusals)}; delivered to ${accepted.join(', ')}`,
    refusals[0]?.responseCode,
    accepted,
  );
}

/** The server's own words, per recipient when it refused recipients: `bad@x.org at RCPT TO: 550 5.1.1 no such user`. */
function describe(refusals: readonly NodemailerError[]): string {
  return refusals
    .map((r) => {
      const reply = r.response ?? r.message;
      const where = r.command ? ` at ${r.command}` : '';
      return r.recipient ? `${r.recipient}${where}: ${reply}` : `${r.command ?? 'SMTP'}: ${reply}`;
    })
    .join('; ');
}
