/**
 * The `data` of a `mail.send` does not fit its template (a field missing or of the wrong kind).
 * No retry fixes it: the handler dead-letters the message with `issues`, zod's readable report.
 */
export class MailDataError extends Error {
  override readonly name = 'MailDataError';
  readonly code = 'MAIL_DATA_INVALID';
  constructor(
    readonly template: string,
    readonly issues: string,
    options?: ErrorOptions,
  ) {
    super(`data for mail template ${template} is invalid: ${issues}`, options);
  }
}
