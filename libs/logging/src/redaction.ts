/** Keys whose values never reach a log line, at the top level and one object down (`{ token }`, `{ github: { token } }`). */
const secretKeys = ['token', 'password', 'authorization', 'Authorization', 'cookie', 'GITHUB_TOKEN', 'smtpUrl', 'SMTP_URL'];

export const redaction = {
  paths: [
    ...secretKeys.flatMap((key) => [key, `*.${key}`]),
    // Request-like objects nest their headers one level deeper than the wildcard reaches.
    'req.headers.authorization',
    'req.headers.cookie',
    '*.headers.authorization',
    '*.headers.Authorization',
  ],
  censor: '[redacted]',
};
