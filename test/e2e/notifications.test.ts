/**
 * What people see of hotrepos besides the file: the requester's e-mail in their language, the
 * admins' e-mail when a service fails or crashes, and a log file per task.
 */
import { waitForReport } from '@hotrepos/client';
import { startProcess, waitFor } from '@hotrepos/testing';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, startPipeline, type Pipeline } from './pipeline-harness.js';

describe('notifications and logs, end to end', { timeout: 180_000 }, () => {
  let pipeline: Pipeline | undefined;
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && pipeline) console.error(pipeline.logs());
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('a report requested in German is announced in German, with no service passing the locale by hand', async () => {
    pipeline = await startPipeline();
    const p = pipeline;
    await Promise.all([p.start('aggregator'), p.start('importer'), p.start('fetcher'), p.start('mailer')]);
    // The locale travels only as the request's header, the way a German web page's client would send it.
    const nc = await connect({ servers: p.nats.url });
    const headers = natsHeaders();
    headers.set('locale', 'de');
    nc.publish('reports.request', JSON.stringify({ requestId: 'mail-de', period: 'week', refDate: '2026-11-27', notify: ['ada@example.com'] }), { headers });
    await nc.flush();
    await nc.close();

    const status = await waitForReport(p.client.transport, 'mail-de', { timeoutMs: 60_000 });
    const [mail] = await p.smtp.waitForMessages(1, 30_000);
    expect(mail!.to).toEqual(['ada@example.com']);
    expect(mail!.subject).toMatch(/Bericht/);
    expect(mail!.text).toContain(status.file!.name);

    // Each task wrote its own log file, every line carrying the report and the request's correlation id.
    const lines = (await readFile(join(p.logDir, 'fetcher.fetch.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const fetched = lines.filter((l) => l['msg'] === 'page fetched');
    expect(fetched).toHaveLength(5);
    for (const line of fetched) expect(line).toMatchObject({ service: 'fetcher', reportId: 'mail-de', locale: 'de', correlationId: expect.any(String) });
    expect(new Set(fetched.map((l) => l['correlationId'])).size).toBe(1);
    const aggregatorLog = await readFile(join(p.logDir, 'aggregator.page.log'), 'utf8');
    expect(aggregatorLog).toContain(`"correlationId":"${fetched[0]!['correlationId']}"`);
  });

  it('a failure in a service reaches the admins as one digest', async () => {
    pipeline = await startPipeline({ faults: [{ match: { times: Infinity }, fault: 'status-422' }] });
    const p = pipeline;
    await Promise.all([p.start('aggregator'), p.start('fetcher'), p.start('mailer')]);
    for (const requestId of ['fail-1', 'fail-2']) await p.client.publish('reports.request', { requestId, period: 'day', pages: 3 });

    const [digest] = await p.smtp.waitForMessages(1, 30_000);
    expect(digest!.to).toEqual(['admin@example.com']);
    expect(digest!.text).toMatch(/fetcher/);
    expect(digest!.text).toMatch(/reports\.fetch/);
    // Six dead-lettered jobs of one kind are one fingerprint with a count, not six e-mails.
    expect(digest!.text).toMatch(/6\s*[×x]/);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(p.smtp.messages).toHaveLength(1);
  });

  it('errors counted into an open digest reach the admins after the mailer is killed', async () => {
    pipeline = await startPipeline();
    const p = pipeline;
    // A window far longer than the test: this mailer never sends; the server is told to deliver again 2 s after a mailer dies.
    const doomed = await p.start('mailer', { ERROR_DIGEST_WINDOW: '1h', MAILER_ACK_WAIT: '2s', LOG_LEVEL: 'debug' });
    const report = (fingerprint: string) => ({ service: 'fetcher', subject: 'reports.fetch', message: `GitHub unavailable (${fingerprint})`, fingerprint, occurredAt: new Date().toISOString() });
    for (const fingerprint of ['fp-kill-a', 'fp-kill-a', 'fp-kill-b']) await p.client.publish('errors.report', report(fingerprint));
    await waitFor(() => (doomed.output().match(/error counted for the digest/g) ?? []).length === 3, { what: 'the three errors counted' });
    await doomed.stop('SIGKILL');

    await p.start('mailer', { ERROR_DIGEST_WINDOW: '1s', MAILER_ACK_WAIT: '2s' });
    const [digest] = await p.smtp.waitForMessages(1, 30_000);
    expect(digest!.text).toMatch(/^2 × fp-kill-a — fetcher, reports\.fetch$/m);
    expect(digest!.text).toMatch(/^1 × fp-kill-b — fetcher, reports\.fetch$/m);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(p.smtp.messages).toHaveLength(1);
  });

  it('a crashing service process reaches the admins inbox', async () => {
    pipeline = await startPipeline();
    const p = pipeline;
    await p.start('mailer');
    const crashing = startProcess({
      name: 'crashing-service',
      command: process.execPath,
      args: ['--conditions=@hotrepos/source', '--import', 'tsx', join(repoRoot, 'libs', 'runtime', 'test', 'fixtures', 'failing-service.ts')],
      env: { NATS_URL: p.nats.url, LOG_DIR: p.logDir, FAILURE: 'crash' },
    });
    expect((await crashing.exited).code).toBe(1);
    const [mail] = await p.smtp.waitForMessages(1, 30_000);
    expect(mail!.to).toEqual(['admin@example.com']);
    expect(mail!.text).toMatch(/uncaughtException: boom in a timer/);
    expect(mail!.text).toMatch(/failing/);
  });
});
