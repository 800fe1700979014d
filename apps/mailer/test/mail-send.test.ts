/**
 * `mail.send` against a real nats-server and a real SMTP server: the language a mail is written
 * in, and what happens when the server defers, refuses, or is not there.
 */
import { withScope } from '@hotrepos/bus';
import { Subjects } from '@hotrepos/contracts';
import { startSmtpServer } from '@hotrepos/smtp-testing';
import { freePort, waitFor } from '@hotrepos/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportFile, startHarness, type Harness } from './harness.js';

const readyMail = (reportId: string, locale?: string) => ({
  to: ['reader@example.com'],
  template: 'report-ready' as const,
  // What the aggregator sends: the `reports.ready` file plus the report's period; the download URL is optional.
  data: { reportId, period: 'week', since: '2026-11-20', file: reportFile(reportId), downloadUrl: `https://hotrepos.example/reports/${reportId}.csv` },
  ...(locale ? { locale } : {}),
});

describe('mailer: mail.send', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('writes report-ready in German, French and, for a language it lacks, English', async () => {
    await h.startMailer();
    await h.client.publish(Subjects.MailSend, readyMail('r-de', 'de'));
    await h.client.publish(Subjects.MailSend, readyMail('r-fr', 'fr'));
    await h.client.publish(Subjects.MailSend, readyMail('r-es', 'es'));
    await h.client.publish(Subjects.MailSend, readyMail('r-at', 'de-AT'));
    const mails = await h.smtp.waitForMessages(4);
    const byReport = (id: string) => mails.find((m) => m.text.includes(`${id}/hot-repos.csv`));

    expect(byReport('r-de')?.subject).toBe('Ihr hotrepos-Bericht r-de ist fertig');
    expect(byReport('r-de')?.text).toContain('Pfad: /srv/media/r-de/hot-repos.csv');
    expect(byReport('r-de')?.text).toContain('Schlüssel im Objektspeicher: r-de/hot-repos.csv');
    expect(byReport('r-de')?.text).toContain('Herunterladen: https://hotrepos.example/reports/r-de.csv');
    expect(byReport('r-de')?.text).toContain('Datei: r-de.csv (12,3 kB)');
    expect(byReport('r-de')?.text).toContain('Zeitraum: Woche\nRepositorys erstellt seit: 20.11.2026');

    expect(byReport('r-fr')?.subject).toBe('Votre rapport hotrepos r-fr est prêt');
    expect(byReport('r-fr')?.text).toContain('Chemin\u00a0: /srv/media/r-fr/hot-repos.csv');
    expect(byReport('r-fr')?.text).toContain('Dépôts créés depuis le\u00a0: 20 nov. 2026');

    expect(byReport('r-es')?.subject).toBe('Your hotrepos report r-es is ready');
    expect(byReport('r-es')?.text).toContain('Path: /srv/media/r-es/hot-repos.csv');
    expect(byReport('r-es')?.text).toContain('Object store key: r-es/hot-repos.csv');
    expect(byReport('r-es')?.text).toContain('Period: week\nRepositories created since: Nov 20, 2026');

    expect(byReport('r-at')?.subject).toBe('Ihr hotrepos-Bericht r-at ist fertig');

    const html = byReport('r-de')?.html ?? '';
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('<a href="https://hotrepos.example/reports/r-de.csv">Herunterladen</a>');
    expect(mails.every((m) => m.from === '"hotrepos" <hotrepos@localhost>' && m.to.join() === 'reader@example.com')).toBe(true);
  });

  it('takes the locale from the message scope, unless the payload names one', async () => {
    await h.startMailer();
    await withScope({ locale: 'fr', correlationId: 'corr-scope' }, () => h.client.publish(Subjects.MailSend, readyMail('r-scope')));
    await withScope({ locale: 'fr' }, () => h.client.publish(Subjects.MailSend, readyMail('r-explicit', 'de')));
    await h.client.publish(Subjects.MailSend, readyMail('r-none'));
    const mails = await h.smtp.waitForMessages(3);
    const subjects = mails.map((m) => m.subject).sort();
    expect(subjects).toEqual(['Ihr hotrepos-Bericht r-explicit ist fertig', 'Votre rapport hotrepos r-scope est prêt', 'Your hotrepos report r-none is ready']);
    // The send task's log lines carry the scope of the message they are about.
    expect(h.logs.find((l) => l.msg === 'mail sent' && l['correlationId'] === 'corr-scope')).toMatchObject({ task: 'send', mailLocale: 'fr', template: 'report-ready' });
  });

  it('writes report-failed with the stage, code and message', async () => {
    await h.startMailer();
    await h.client.publish(Subjects.MailSend, {
      to: ['reader@example.com'],
      template: 'report-failed',
      locale: 'de',
      data: { reportId: 'r-bad', stage: 'fetch', code: 'github_422', message: 'Validation Failed <script>' },
    });
    const [mail] = await h.smtp.waitForMessages(1);
    expect(mail?.subject).toBe('Ihr hotrepos-Bericht r-bad ist fehlgeschlagen');
    expect(mail?.text).toContain('Schritt: Abruf bei GitHub (fetch)');
    expect(mail?.text).toContain('Code: github_422');
    expect(mail?.text).toContain('Grund: Validation Failed <script>');
    expect(mail?.html).toContain('Validation Failed &lt;script&gt;');
  });

  it('retries a mail the server defers (451) and delivers it once', async () => {
    await h.startMailer();
    h.smtp.failNext(1, { code: 451, stage: 'rcpt', message: '4.7.1 Greylisted, try again later' });
    await h.client.publish(Subjects.MailSend, readyMail('r-grey'));
    await h.smtp.waitForMessages(1);
    // Another mail after it shows the first is not still on its way a second time.
    await h.client.publish(Subjects.MailSend, readyMail('r-after'));
    const mails = await h.smtp.waitForMessages(2);
    expect(mails.filter((m) => m.subject.includes('r-grey'))).toHaveLength(1);
    expect(h.smtp.refusals).toEqual([expect.objectContaining({ code: 451, address: 'reader@example.com' })]);
    expect(h.logs.some((l) => l.msg === 'handler failed; will retry' && String((l['err'] as { message?: string }).message).includes('451 4.7.1 Greylisted'))).toBe(true);
  });

  it('retries a mail the server defers after DATA', async () => {
    await h.startMailer();
    h.smtp.failNext(2, { code: 452, stage: 'data', message: '4.3.1 Insufficient system storage' });
    await h.client.publish(Subjects.MailSend, readyMail('r-full'));
    const [mail] = await h.smtp.waitForMessages(1);
    expect(mail?.subject).toContain('r-full');
    expect(h.smtp.refusals.map((r) => r.code)).toEqual([452, 452]);
  });

  it('dead-letters a recipient the server refuses (550) with its reply, once, and goes on', async () => {
    await h.startMailer();
    const dlq = await h.deadLetters();
    h.smtp.reject('nobody@example.com', 550, '5.1.1 <nobody@example.com>: Recipient address rejected: User unknown');
    await h.client.publish(Subjects.MailSend, { ...readyMail('r-nobody'), to: ['nobody@example.com'] });
    const [letter] = await waitFor(() => dlq.letters().length > 0 && dlq.letters(), { what: 'a dead letter' });
    expect(letter?.reason).toBe('unrecoverable');
    expect(letter?.deliveries).toBe(1);
    expect(letter?.error).toContain('nobody@example.com at RCPT TO: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown');

    await h.client.publish(Subjects.MailSend, readyMail('r-next'));
    const mails = await h.smtp.waitForMessages(1);
    expect(mails.map((m) => m.subject)).toEqual(['Your hotrepos report r-next is ready']);
    expect(dlq.letters()).toHaveLength(1);
    expect(h.smtp.refusals).toHaveLength(1);
  });

  it('dead-letters a mail refused for some recipients, naming who got it', async () => {
    await h.startMailer();
    const dlq = await h.deadLetters();
    h.smtp.reject('nobody@example.com');
    await h.client.publish(Subjects.MailSend, { ...readyMail('r-some'), to: ['reader@example.com', 'nobody@example.com'] });
    const [letter] = await waitFor(() => dlq.letters().length > 0 && dlq.letters(), { what: 'a dead letter' });
    expect(letter?.error).toMatch(/refused 1 recipient\(s\): nobody@example.com at RCPT TO: 550 .*; delivered to reader@example.com/);
    expect(h.smtp.messages.map((m) => m.envelope.to)).toEqual([['reader@example.com']]);
  });

  it('dead-letters a malformed mail.send (bad address) and data that does not fit the template, and goes on', async () => {
    await h.startMailer();
    const dlq = await h.deadLetters();
    const bad = { to: ['not-an-address'], template: 'report-ready', data: { reportId: 'r-x', file: reportFile('r-x') } };
    await h.transport.publish(Subjects.MailSend, new TextEncoder().encode(JSON.stringify(bad)));
    await h.client.publish(Subjects.MailSend, { to: ['reader@example.com'], template: 'report-ready', data: { reportId: 'r-nofile' } });
    await waitFor(() => dlq.letters().length >= 2, { what: 'two dead letters' });
    const violation = dlq.letters().find((l) => l.reason === 'contract-violation');
    const misfit = dlq.letters().find((l) => l.reason === 'unrecoverable');
    expect(violation?.error).toMatch(/Invalid email address.*at to\[0\]/);
    expect(misfit?.error).toMatch(/^data for mail template report-ready is invalid: .*file/s);

    await h.client.publish(Subjects.MailSend, readyMail('r-fine'));
    expect((await h.smtp.waitForMessages(1)).map((m) => m.subject)).toEqual(['Your hotrepos report r-fine is ready']);
    expect(dlq.letters()).toHaveLength(2);
  });

  it('keeps a mail while the SMTP server is unreachable and sends it once the server is up', async () => {
    const port = await freePort();
    await h.startMailer({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAILER_MAX_DELIVER: '20', MAILER_RETRY_INITIAL: '200ms' });
    await h.client.publish(Subjects.MailSend, readyMail('r-later'));
    await waitFor(() => h.logs.some((l) => l.msg === 'handler failed; will retry' && String((l['err'] as { message?: string }).message).includes('SMTP server unreachable')), {
      what: 'a retry after connection refused',
    });
    const late = await startSmtpServer({ port });
    try {
      const [mail] = await late.waitForMessages(1, 60_000);
      expect(mail?.subject).toBe('Your hotrepos report r-later is ready');
    } finally {
      await late.stop();
    }
  });
});
