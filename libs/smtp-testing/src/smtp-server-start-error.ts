/** The test SMTP server could not listen (say, the asked-for port is taken); `cause` holds the socket error. */
export class SmtpServerStartError extends Error {
  override readonly name = 'SmtpServerStartError';
  readonly code = 'SMTP_SERVER_START';
}
