import { ConfigError, parseConfig } from '@hotrepos/config';
import { describe, expect, it } from 'vitest';
import { MailerEnv } from '../src/config.js';

const problems = (env: Record<string, string>) => {
  try {
    parseConfig(MailerEnv, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
};

describe('mailer config', () => {
  it('has defaults for everything', () => {
    expect(parseConfig(MailerEnv, {})).toEqual({
      SMTP_URL: 'smtp://127.0.0.1:1025',
      MAIL_FROM: 'hotrepos <hotrepos@localhost>',
      ADMINS: [],
      ADMIN_LOCALE: 'en',
      ERROR_DIGEST_WINDOW: 60_000,
      ERROR_DIGEST_MAX_HELD: 1_000,
      ERROR_DIGEST_MAX_DELIVER: 50,
      MAILER_ACK_WAIT: 30_000,
      MAILER_CONCURRENCY: 4,
      MAILER_MAX_DELIVER: 5,
      MAILER_RETRY_INITIAL: 1_000,
    });
  });

  it('reads the environment', () => {
    expect(
      parseConfig(MailerEnv, {
        SMTP_URL: 'smtps://user:secret@mail.example.com:465',
        MAIL_FROM: 'Reports <reports@example.com>',
        ADMINS: ' a@example.com, b@example.com ,',
        ADMIN_LOCALE: 'de-AT',
        ERROR_DIGEST_WINDOW: '5m',
        ERROR_DIGEST_MAX_HELD: '200',
        ERROR_DIGEST_MAX_DELIVER: '20',
        MAILER_ACK_WAIT: '1m',
        MAILER_CONCURRENCY: '2',
        MAILER_MAX_DELIVER: '8',
        MAILER_RETRY_INITIAL: '250ms',
      }),
    ).toEqual({
      SMTP_URL: 'smtps://user:secret@mail.example.com:465',
      MAIL_FROM: 'Reports <reports@example.com>',
      ADMINS: ['a@example.com', 'b@example.com'],
      ADMIN_LOCALE: 'de-AT',
      ERROR_DIGEST_WINDOW: 300_000,
      ERROR_DIGEST_MAX_HELD: 200,
      ERROR_DIGEST_MAX_DELIVER: 20,
      MAILER_ACK_WAIT: 60_000,
      MAILER_CONCURRENCY: 2,
      MAILER_MAX_DELIVER: 8,
      MAILER_RETRY_INITIAL: 250,
    });
  });

  it('names every bad variable', () => {
    expect(
      problems({ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'a@example.com, b@example.com', ADMINS: 'a@example.com,nobody', ERROR_DIGEST_WINDOW: '0s', ERROR_DIGEST_MAX_HELD: '0', ERROR_DIGEST_MAX_DELIVER: '0', MAILER_ACK_WAIT: '250ms', MAILER_CONCURRENCY: '0' }),
    ).toEqual([
      expect.stringMatching(/^SMTP_URL: /),
      expect.stringMatching(/^MAIL_FROM: expected one address/),
      expect.stringMatching(/^ADMINS\.1: /),
      expect.stringMatching(/^ERROR_DIGEST_WINDOW: /),
      expect.stringMatching(/^ERROR_DIGEST_MAX_HELD: /),
      expect.stringMatching(/^ERROR_DIGEST_MAX_DELIVER: /),
      expect.stringMatching(/^MAILER_ACK_WAIT: /),
      expect.stringMatching(/^MAILER_CONCURRENCY: /),
    ]);
    expect(problems({ MAIL_FROM: 'hotrepos' })).toEqual([expect.stringMatching(/^MAIL_FROM: /)]);
  });
});
