/**
 * The test SMTP server against a real SMTP client (nodemailer): what arrives, and the refusals
 * it scripts as a client sees them.
 */
import { createServer } from 'node:net';
import { WaitTimeoutError } from '@hotrepos/testing';
import { createTransport } from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmtpServerStartError, startSmtpServer, type SmtpTestServer } from '../src/index.js';

describe('test SMTP server', () => {
  let smtp: SmtpTestServer;
  let client: ReturnType<typeof createTransport>;
  const send = (to: string | string[], subject = 'hello') =>
    client.sendMail({ from: 'Sender <sender@example.com>', to, subject, text: `text of ${subject}`, html: `<p>html of ${subject}</p>` });

  beforeEach(async () => {
    smtp = await startSmtpServer();
    client = createTransport({ url: smtp.url });
  });
  afterEach(async () => {
    client.close();
    await smtp.stop();
  });

  it('listens on a random port of 127.0.0.1 and keeps each message parsed', async () => {
    expect(smtp.url).toBe(`smtp://127.0.0.1:${smtp.port}`);
    await send(['a@example.com', 'B <b@example.com>'], 'Grüße ✓');
    const [mail] = await smtp.waitForMessages(1);
    expect(mail).toMatchObject({
      envelope: { from: 'sender@example.com', to: ['a@example.com', 'b@example.com'] },
      subject: 'Grüße ✓',
      from: '"Sender" <sender@example.com>',
      to: ['a@example.com', 'b@example.com'],
      html: '<p>html of Grüße ✓</p>',
    });
    expect(mail?.text.trim()).toBe('text of Grüße ✓');
    expect(mail?.headers.get('subject')).toBe('Grüße ✓');
  });

  it('refuses the next recipients temporarily, then accepts', async () => {
    smtp.failNext(1, { code: 451, stage: 'rcpt', message: '4.7.1 Greylisted, come back later' });
    await expect(send('a@example.com')).rejects.toMatchObject({ responseCode: 451, permanent: false, response: '451 4.7.1 Greylisted, come back later' });
    await send('a@example.com');
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.refusals).toEqual([{ stage: 'rcpt', code: 451, message: '4.7.1 Greylisted, come back later', address: 'a@example.com' }]);
  });

  it('refuses a whole message after DATA without keeping it', async () => {
    smtp.failNext(2, { code: 554, stage: 'data' });
    await expect(send('a@example.com', 'one')).rejects.toMatchObject({ responseCode: 554, command: 'DATA' });
    await expect(send('a@example.com', 'two')).rejects.toMatchObject({ responseCode: 554 });
    await send('a@example.com', 'three');
    expect(smtp.messages.map((m) => m.subject)).toEqual(['three']);
    expect(smtp.refusals.map((r) => r.stage)).toEqual(['data', 'data']);
  });

  it('rejects recipients by address or pattern for good', async () => {
    smtp.reject('Bad@Example.com');
    smtp.reject(/@nowhere\.test$/, 553, '5.1.3 no such domain');
    await expect(send('bad@example.com')).rejects.toMatchObject({ responseCode: 550, permanent: true, rejected: ['bad@example.com'] });
    const info = await send(['good@example.com', 'x@nowhere.test']);
    expect(info.accepted).toEqual(['good@example.com']);
    expect(info.rejected).toEqual(['x@nowhere.test']);
    expect(smtp.messages[0]?.envelope.to).toEqual(['good@example.com']);
    expect(smtp.refusals.map((r) => `${r.code} ${r.message}`)).toEqual([
      '550 5.1.1 <bad@example.com>: Recipient address rejected: mailbox unavailable',
      '553 5.1.3 no such domain',
    ]);
  });

  it('says what it waited for when messages do not come', async () => {
    await expect(smtp.waitForMessages(1, 100)).rejects.toBeInstanceOf(WaitTimeoutError);
  });

  it('fails to start with a named error when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expect(startSmtpServer({ port })).rejects.toBeInstanceOf(SmtpServerStartError);
    } finally {
      taken.close();
    }
  });
});
