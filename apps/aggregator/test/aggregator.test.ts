/**
 * The aggregator against a real nats-server: planning, idempotence, the exactly-once join,
 * progress in KV, the deadline, and bad input to the dead-letter subject.
 */
import { NatsTransport, withScope, type Transport } from '@hotrepos/bus';
import { type Repo, type ReportAggregated, type ReportFailed, type ReportFetch, type ReportPage } from '@hotrepos/contracts';
import { createLogger } from '@hotrepos/logging';
import { ReportStatusStore } from '@hotrepos/reports';
import { createHotBus, type HotBus, type RunningService } from '@hotrepos/runtime';
import { captureSubject, startNatsServer, waitFor, type Capture, type NatsServer } from '@hotrepos/testing';
import { connect } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAggregator } from '../src/app.js';
import type { AggregatorConfig } from '../src/config.js';

const config: AggregatorConfig = { REPORT_DEADLINE: 60_000, DEADLINE_SWEEP_INTERVAL: 100, AGGREGATOR_CONCURRENCY: 8 };
const logger = createLogger({ service: 'aggregator-test', level: 'silent' });

const repo = (id: number, language: string | null): Repo => ({
  id,
  fullName: `owner/repo-${id}`,
  htmlUrl: `https://github.com/owner/repo-${id}`,
  description: `repo ${id}`,
  language,
  stars: 10_000 - id,
  forks: id,
  createdAt: '2026-11-21T10:00:00Z',
});

describe('aggregator', () => {
  let server: NatsServer;
  let transports: Transport[];
  let running: RunningService[];
  let captures: Capture[];
  let client: HotBus;
  let statuses: ReportStatusStore;

  const start = async (overrides: Partial<AggregatorConfig> = {}) => {
    const transport = await NatsTransport.connect({ servers: server.url });
    transports.push(transport);
    const bus = await createHotBus(transport, { service: 'aggregator' });
    const svc = await startAggregator({ bus, logger, config: { ...config, ...overrides } });
    running.push(svc);
    return svc;
  };
  const capture = async (subject: string) => {
    const c = await captureSubject(server.url, subject);
    captures.push(c);
    return c;
  };

  beforeEach(async () => {
    server = await startNatsServer();
    transports = [];
    running = [];
    captures = [];
    const transport = await NatsTransport.connect({ servers: server.url });
    transports.push(transport);
    client = await createHotBus(transport, { service: 'test-client' });
    statuses = await ReportStatusStore.open(transport);
  });
  afterEach(async () => {
    for (const svc of running) await svc.stop();
    for (const c of captures) await c.stop();
    for (const t of transports) await t.close();
    await server.stop();
  });

  const pageOf = (reportId: string, n: number, items: Repo[]): ReportPage => ({ reportId, page: n, totalCount: 500, incompleteResults: false, items });

  it('plans one fetch job per page and records progress', async () => {
    await start();
    const fetches = await capture('reports.fetch');
    await client.publish('reports.request', { requestId: 'weekly-1', period: 'week', refDate: '2026-11-27' });
    await waitFor(() => fetches.messages.length === 5);
    expect(fetches.payloads<ReportFetch>().sort((a, b) => a.page - b.page)).toEqual(
      [1, 2, 3, 4, 5].map((page) => ({ reportId: 'weekly-1', since: '2026-11-20', page, perPage: 100 })),
    );
    await waitFor(async () => (await statuses.get('weekly-1'))?.state === 'fetching');
    expect(await statuses.get('weekly-1')).toMatchObject({ pagesDone: 0, pagesTotal: 5, period: 'week', since: '2026-11-20' });
  });

  it('defaults refDate to the day the broker stored the request, in UTC, and derives a stable report id without a requestId', async () => {
    await start();
    const requests = await capture('reports.request');
    const fetches = await capture('reports.fetch');
    await client.publish('reports.request', { period: 'day', pages: 2 });
    await waitFor(() => fetches.messages.length === 2 && requests.messages.length === 1);
    // "Today" is the broker's: read from the stored request, so the test holds on any day, across midnight too.
    const storedAt = requests.messages[0]!.storedAt;
    const today = storedAt.toISOString().slice(0, 10);
    const dayBefore = new Date(Date.UTC(storedAt.getUTCFullYear(), storedAt.getUTCMonth(), storedAt.getUTCDate() - 1)).toISOString().slice(0, 10);
    const [job] = fetches.payloads<ReportFetch>();
    expect(job!.since).toBe(dayBefore);
    expect(job!.reportId).toMatch(new RegExp(`^${today}-\\d+-[0-9a-f]{8}$`));
  });

  it('the same requestId twice is one report', async () => {
    await start();
    const fetches = await capture('reports.fetch');
    await client.publish('reports.request', { requestId: 'dup', period: 'week', pages: 3 });
    await client.publish('reports.request', { requestId: 'dup', period: 'week', pages: 3 });
    await waitFor(async () => (await statuses.get('dup'))?.state === 'fetching');
    await sleep(300);
    expect(fetches.messages).toHaveLength(3);
  });

  it('joins the pages exactly once, counting a page delivered twice once, with progress in KV', async () => {
    await start();
    await start();
    const aggregated = await capture('reports.aggregated');
    await client.publish('reports.request', { requestId: 'join', period: 'week', pages: 3, refDate: '2026-11-27' });
    await waitFor(async () => (await statuses.get('join'))?.state === 'fetching');

    await client.publish('reports.page', pageOf('join', 1, [repo(1, 'Go'), repo(2, null), repo(3, 'Rust')]));
    await client.publish('reports.page', pageOf('join', 1, [repo(1, 'Go'), repo(2, null), repo(3, 'Rust')]));
    await waitFor(async () => (await statuses.get('join'))?.pagesDone === 1);
    await client.publish('reports.page', pageOf('join', 2, [repo(3, 'Rust'), repo(4, 'Go')]));
    await waitFor(async () => (await statuses.get('join'))?.pagesDone === 2);
    expect((await statuses.get('join'))?.state).toBe('fetching');
    expect(aggregated.messages).toHaveLength(0);

    // The last page, twice at once, to two aggregator replicas.
    await Promise.all([client.publish('reports.page', pageOf('join', 3, [repo(5, 'Ada')])), client.publish('reports.page', pageOf('join', 3, [repo(5, 'Ada')]))]);
    await waitFor(async () => (await statuses.get('join'))?.state === 'importing');
    await sleep(300);
    expect(aggregated.messages).toHaveLength(1);
    const report = aggregated.payloads<ReportAggregated>()[0]!;
    expect(report).toMatchObject({ reportId: 'join', since: '2026-11-20', period: 'week' });
    expect(report.groups.map((g) => [g.language, g.repos.map((r) => r.id)])).toEqual([
      ['Ada', [5]],
      ['Go', [1, 4]],
      ['Rust', [3]],
      ['No language', [2]],
    ]);
    expect(await statuses.get('join')).toMatchObject({ pagesDone: 3, pagesTotal: 3 });
  });

  it('a restarted aggregator finishes the report it was joining', async () => {
    const first = await start();
    const aggregated = await capture('reports.aggregated');
    await client.publish('reports.request', { requestId: 'restart', period: 'day', pages: 2 });
    await waitFor(async () => (await statuses.get('restart'))?.state === 'fetching');
    await client.publish('reports.page', pageOf('restart', 1, [repo(1, 'Go')]));
    await waitFor(async () => (await statuses.get('restart'))?.pagesDone === 1);
    await first.stop();
    running.splice(running.indexOf(first), 1);

    await client.publish('reports.page', pageOf('restart', 2, [repo(2, 'Go')]));
    await start();
    await waitFor(() => aggregated.messages.length === 1);
    expect(aggregated.payloads<ReportAggregated>()[0]!.groups[0]!.repos.map((r) => r.id)).toEqual([1, 2]);
  });

  it('fails a report that makes no progress within the deadline, once', async () => {
    await start({ REPORT_DEADLINE: 500 });
    await start({ REPORT_DEADLINE: 500 });
    const failed = await capture('reports.failed');
    await client.publish('reports.request', { requestId: 'stuck', period: 'week' });
    await waitFor(async () => (await statuses.get('stuck'))?.state === 'failed', { what: 'deadline' });
    await sleep(400);
    expect(failed.payloads<ReportFailed>()).toEqual([{ reportId: 'stuck', stage: 'fetch', code: 'deadline_exceeded', message: expect.stringMatching(/no progress/) }]);
    expect((await statuses.get('stuck'))?.error).toMatchObject({ code: 'deadline_exceeded' });
  });

  it('records a failure reported by another stage', async () => {
    await start();
    await client.publish('reports.request', { requestId: 'bad', period: 'week' });
    await waitFor(async () => (await statuses.get('bad'))?.state === 'fetching');
    await client.publish('reports.failed', { reportId: 'bad', stage: 'fetch', code: 'github_422', message: 'Validation Failed' });
    await waitFor(async () => (await statuses.get('bad'))?.state === 'failed');
    expect((await statuses.get('bad'))?.error).toEqual({ stage: 'fetch', code: 'github_422', message: 'Validation Failed' });
  });

  it('rejects malformed requests with a readable reason into the dead-letter subject and keeps running', async () => {
    await start();
    const dlq = await capture('dlq.reports.request');
    const fetches = await capture('reports.fetch');
    const nc = await connect({ servers: server.url });
    const bad = ['{"period":"year"}', '{"period":"week","refDate":"2026-02-30"}', '{"period":"week","colour":"blue"}', 'not json at all', '{"period":"week","notify":["nobody"]}'];
    for (const body of bad) nc.publish('reports.request', body);
    await nc.flush();
    await nc.close();
    await waitFor(() => dlq.messages.length === bad.length, { what: 'dead letters' });
    const reasons = dlq.messages.map((m) => [m.headers['dlq-reason']?.[0], m.headers['dlq-error']?.[0]]);
    expect(reasons.map(([r]) => r)).toEqual(['contract-violation', 'contract-violation', 'contract-violation', 'invalid-json', 'contract-violation']);
    expect(reasons[0]![1]).toMatch(/period/);
    expect(reasons[1]![1]).toMatch(/refDate/);
    expect(reasons[2]![1]).toMatch(/colour/);
    expect(reasons[4]![1]).toMatch(/notify/);
    expect(dlq.messages.map((m) => new TextDecoder().decode(m.data))).toEqual(bad);

    await client.publish('reports.request', { requestId: 'after-bad', period: 'day', pages: 1 });
    await waitFor(() => fetches.messages.length === 1);
  });

  it('tells the requester in the language the request came with, through the scope alone', async () => {
    await start();
    const mails = await capture('mail.send');
    await withScope({ locale: 'de' }, () => client.publish('reports.request', { requestId: 'notify-de', period: 'week', refDate: '2026-11-27', pages: 1, notify: ['ada@example.com'] }));
    await waitFor(async () => (await statuses.get('notify-de'))?.state === 'fetching');
    // The importer's announcement carries no locale of its own here: it inherits the request's, as in the real chain.
    const file = { name: 'github-hot-repos-2026-11-20.csv', bytes: 10, sha256: 'a'.repeat(64), objectKey: 'notify-de/github-hot-repos-2026-11-20.csv', path: '/media/x.csv' };
    await withScope({ locale: 'de' }, () => client.publish('reports.ready', { reportId: 'notify-de', file }));
    await waitFor(() => mails.messages.length === 1);
    expect(mails.messages[0]!.headers['locale']).toEqual(['de']);
    expect(mails.payloads()[0]).toEqual({ to: ['ada@example.com'], template: 'report-ready', data: { reportId: 'notify-de', period: 'week', since: '2026-11-20', file } });
  });

  it('an explicit locale in the request wins over the inherited one, down the chain', async () => {
    await start();
    const fetches = await capture('reports.fetch');
    const mails = await capture('mail.send');
    await withScope({ locale: 'de' }, () => client.publish('reports.request', { requestId: 'notify-fr', period: 'day', pages: 1, notify: ['b@example.com'], locale: 'fr' }));
    await waitFor(() => fetches.messages.length === 1);
    expect(fetches.messages[0]!.headers['locale']).toEqual(['fr']);
    await client.publish('reports.failed', { reportId: 'notify-fr', stage: 'fetch', code: 'github_422', message: 'Validation Failed' });
    await waitFor(() => mails.messages.length === 1);
    expect(mails.messages[0]!.headers['locale']).toEqual(['fr']);
    expect(mails.payloads()[0]).toMatchObject({ to: ['b@example.com'], template: 'report-failed', data: { code: 'github_422' } });
  });

  it('sends no mail when nobody asked for one', async () => {
    await start();
    const mails = await capture('mail.send');
    await client.publish('reports.request', { requestId: 'quiet', period: 'day', pages: 1 });
    await waitFor(async () => (await statuses.get('quiet'))?.state === 'fetching');
    await client.publish('reports.failed', { reportId: 'quiet', stage: 'fetch', code: 'x', message: 'y' });
    await waitFor(async () => (await statuses.get('quiet'))?.state === 'failed');
    await sleep(300);
    expect(mails.messages).toHaveLength(0);
  });

  it('dead-letters a page for a report it does not know', async () => {
    await start();
    const dlq = await capture('dlq.reports.page');
    await client.publish('reports.page', pageOf('ghost', 1, []));
    await waitFor(() => dlq.messages.length === 1);
    expect(dlq.messages[0]!.headers['dlq-reason']).toEqual(['unrecoverable']);
  });
});
