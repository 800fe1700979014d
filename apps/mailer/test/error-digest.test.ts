/**
 * `errors.report` against a real nats-server and a real SMTP server: storms become a digest or
 * two carrying the counts, a stop sends what is pending, a digest the server keeps deferring comes
 * back as a later one, and the mailer's own failures end in its log, never on `errors.report`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Subjects, type ErrorReport } from '@hotrepos/contracts';
import { captureSubject, waitFor } from '@hotrepos/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMINS, digestCounts, errorReport, startHarness, type Harness } from './harness.js';

describe('mailer: errors.report digests', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const publishAll = async (reports: ErrorReport[]) => {
    for (let i = 0; i < reports.length; i += 100) await Promise.all(reports.slice(i, i + 100).map((r) => h.client.publish(Subjects.ErrorsReport, r)));
  };
  const counted = (n: number) => waitFor(() => h.logs.filter((l) => l.msg === 'error counted for the digest').length >= n, { what: `${n} errors counted` });
  const logged = (msg: string) => h.logs.filter((l) => l.msg === msg);

  it('turns a storm of 1000 identical errors into at most two e-mails carrying the count, however few reports a window holds', async () => {
    // Published before the mailer starts, so it takes the storm in as fast as it can; the window is
    // long enough for that on a busy machine, and a slower intake still yields at most two digests.
    // A window holds 50 reports: the storm's other repeats are counted and released at once, not left for the next window.
    await publishAll([...Array.from({ length: 1000 }, () => errorReport('fp-storm')), ...Array.from({ length: 3 }, () => errorReport('fp-other', { service: 'importer' }))]);
    await h.startMailer({ ERROR_DIGEST_WINDOW: '6s', ERROR_DIGEST_MAX_HELD: '50' });

    await waitFor(() => digestCounts(h.smtp.messages)['fp-other'] === 3 && digestCounts(h.smtp.messages)['fp-storm'] === 1000, {
      timeoutMs: 60_000,
      what: 'digests counting all 1003 errors',
    });
    expect(h.smtp.messages.length).toBeLessThanOrEqual(2);
    const [first] = h.smtp.messages;
    expect(first?.envelope.to).toEqual(ADMINS);
    expect(first?.subject).toMatch(/^\[hotrepos\] \d+ errors?, \d fingerprints?$/);
    expect(first?.text).toMatch(/^\d+ × fp-storm — fetcher, reports\.fetch$/m);
    expect(first?.text).toContain('GitHub unavailable (fp-storm)');
    expect(logged('error digest sent')[0]).toMatchObject({ task: 'digest', attempts: 1, correlationId: expect.stringMatching(/^digest-/) });
  });

  it('sends the open window when stopped, without waiting for its end', async () => {
    const mailer = await h.startMailer({ ERROR_DIGEST_WINDOW: '1h' });
    await publishAll([errorReport('fp-a'), errorReport('fp-a'), errorReport('fp-b')]);
    await counted(3);
    expect(h.smtp.messages).toHaveLength(0);
    await mailer.stop();
    expect(h.smtp.messages).toHaveLength(1);
    expect(digestCounts(h.smtp.messages)).toEqual({ 'fp-a': 2, 'fp-b': 1 });
  });

  it('writes the digest in ADMIN_LOCALE', async () => {
    await h.startMailer({ ADMIN_LOCALE: 'de' });
    await publishAll([errorReport('fp-de')]);
    const [mail] = await h.smtp.waitForMessages(1);
    expect(mail?.subject).toBe('[hotrepos] 1 Fehler, 1 Fingerabdruck');
    expect(mail?.text).toContain('Insgesamt: 1 Fehler, 1 Fingerabdruck');
  });

  it('retries a digest the server defers, in process', async () => {
    await h.startMailer();
    h.smtp.failNext(1, { code: 451, stage: 'data', message: '4.3.0 Try again later' });
    await publishAll([errorReport('fp-retry')]);
    await h.smtp.waitForMessages(1);
    expect(digestCounts(h.smtp.messages)).toEqual({ 'fp-retry': 1 });
    expect(logged('error digest not sent; will retry')).toHaveLength(1);
    await waitFor(() => logged('error digest sent').length === 1);
    expect(logged('error digest sent')[0]).toMatchObject({ attempts: 2 });
  });

  it('counts the errors of a digest the server kept deferring into a later one, and never reports its own failure on errors.report', async () => {
    await h.startMailer();
    const reported = await captureSubject(h.nats.url, Subjects.ErrorsReport);
    try {
      h.smtp.failNext(4, { code: 451, stage: 'data' });
      await publishAll([errorReport('fp-late'), errorReport('fp-late')]);
      await waitFor(() => logged('error digest not sent; its errors come back for a later digest').length === 1, { what: 'the digest given up on' });
      expect(logged('error digest not sent; its errors come back for a later digest')[0]).toMatchObject({
        task: 'digest',
        attempts: 4,
        errors: 2,
        fingerprints: [{ fingerprint: 'fp-late', count: 2, service: 'fetcher', subject: 'reports.fetch' }],
      });
      await h.smtp.waitForMessages(1);
      expect(digestCounts(h.smtp.messages)).toEqual({ 'fp-late': 2 });

      // Refused for good: dropped at once, and not tried again.
      h.smtp.reject(/@example\.com$/, 550);
      await publishAll([errorReport('fp-refused')]);
      await waitFor(() => logged('error digest dropped').length === 1, { what: 'the refused digest' });
      expect(logged('error digest dropped')[0]).toMatchObject({ attempts: 1, errors: 1 });
      // Longer than a window and a retry: a report sent back would have been counted again by now.
      await sleep(1_500);
      expect(logged('error counted for the digest').filter((l) => l['fingerprint'] === 'fp-refused')).toHaveLength(1);

      expect(h.smtp.messages).toHaveLength(1);
      expect(reported.payloads<ErrorReport>().map((r) => r.fingerprint)).toEqual(['fp-late', 'fp-late', 'fp-refused']);
    } finally {
      await reported.stop();
    }
  });

  it('logs reported errors instead of mailing them when ADMINS is not set', async () => {
    const mailer = await h.startMailer({ ADMINS: '' });
    await publishAll([errorReport('fp-unmailed')]);
    await waitFor(() => logged('error reported; ADMINS is not set, so it is logged, not mailed').length === 1);
    expect(logged('error reported; ADMINS is not set, so it is logged, not mailed')[0]).toMatchObject({ level: 50, errorReport: { fingerprint: 'fp-unmailed' } });
    await mailer.stop();
    expect(h.smtp.messages).toHaveLength(0);
  });
});
