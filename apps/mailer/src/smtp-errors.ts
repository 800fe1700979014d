/**
 * How sending over SMTP fails, as the callers need to tell it: for good (the server said 5xx) or
 * for now (4xx, or no answer at all). Callers branch on the class, never on the message.
 */

/** The SMTP server refused the mail for good (5xx), e.g. an unknown recipient at `RCPT TO`; sending it again gets the same answer. */
export class SmtpRejectedError extends Error {
  override readonly name = 'SmtpRejectedError';
  readonly code = 'SMTP_REJECTED';
  constructor(
    message: string,
    /** The server's reply code, e.g. 550. */
    readonly responseCode: number | undefined,
    /** Recipients the server took; non-empty when only some were refused, and then the mail went to these. */
    readonly delivered: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The SMTP server could not be reached, timed out, closed the connection, or deferred the mail (4xx): worth trying again later. */
export class SmtpUnavailableError extends Error {
  override readonly name = 'SmtpUnavailableError';
  readonly code = 'SMTP_UNAVAILABLE';
  constructor(
    message: string,
    /** The server's reply code when it answered, e.g. 451; undefined for a connection failure. */
    readonly responseCode: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
