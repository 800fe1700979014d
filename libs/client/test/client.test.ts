/**
 * The client helpers against a real nats-server. No service runs: the test plays the aggregator
 * and the importer by writing the status and the object itself.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { NatsTransport, type Delivery, type Transport } from '@hotrepos/bus';
import { ObjectStores, RequestId, ReportRequest, Streams, Subjects, type ReportStatus } from '@hotrepos/contracts';
import { ReportStatusStore } from '@hotrepos/reports';
import { createHotBus, type HotBus } from '@hotrepos/runtime';
import { startNatsServer, waitFor, type NatsServer } from '@hotrepos/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  downloadReport,
  ReportFailedError,
  ReportFileMissingError,
  ReportIntegrityError,
  ReportNotReadyError,
  ReportTimeoutError,
  ReportWatchEndedError,
  requestReport,
  waitForReport,
  watchReport,
} from '../src/index.js';

const decoder = new TextDecoder();

describe('client', () => {
  let server: NatsServer;
  let transport: Transport;
  let bus: HotBus;
  let statuses: ReportStatusStore;

  beforeEach(async () => {
    server = await startNatsServer();
    transport = await NatsTransport.connect({ servers: server.url, name: 'client-test' });
    bus = await createHotBus(transport, { service: 'client-test' });
    statuses = await ReportStatusStore.open(transport);
  });
  afterEach(async () => {
    await bus.stop();
    await transport.close();
    await server.stop();
  });

  const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 12, 0, s)).toISOString();
  const queued = (reportId: string): ReportStatus => ({ reportId, state: 'queued', pagesDone: 0, pagesTotal: 2, period: 'week', since: '2026-11-20', updatedAt: at(0) });
  const set = (reportId: string, change: Partial<ReportStatus>) => statuses.update(reportId, (s) => ({ ...s, ...change }));

  const collect = async (iterable: AsyncIterable<ReportStatus>) => {
    const seen: ReportStatus[] = [];
    for await (const s of iterable) seen.push(s);
    return seen;
  };

  describe('requestReport', () => {
    const requests = async () => {
      const seen: Delivery[] = [];
      await transport.consume(
        { stream: Streams.Reports.name, durable: 'requests', filterSubject: Subjects.ReportsRequest, ackWaitMs: 30_000, maxDeliver: 1 },
        async (d) => {
          seen.push(d);
          d.ack();
        },
        { concurrency: 1 },
      );
      return seen;
    };

    it('generates a requestId, which is the reportId and the msg id', async () => {
      const seen = await requests();
      const { reportId, duplicate } = await requestReport(bus, { period: 'week', pages: 2 });
      expect(RequestId.parse(reportId)).toBe(reportId);
      expect(duplicate).toBe(false);
      await waitFor(() => seen.length === 1);
      expect(ReportRequest.parse(JSON.parse(decoder.decode(seen[0]!.data)))).toMatchObject({ requestId: reportId, period: 'week', pages: 2 });
      expect(seen[0]!.headers['Nats-Msg-Id']).toEqual([reportId]);

      const other = await requestReport(bus, { period: 'week' });
      expect(other.reportId).not.toBe(reportId);
    });

    it('keeps a given requestId, and a retry with it is one request', async () => {
      const seen = await requests();
      const first = await requestReport(bus, { requestId: 'cli-42', period: 'day' }, { scope: { locale: 'de' } });
      const retry = await requestReport(bus, { requestId: 'cli-42', period: 'day' });
      expect(first).toEqual({ reportId: 'cli-42', duplicate: false });
      expect(retry).toEqual({ reportId: 'cli-42', duplicate: true });
      await waitFor(() => seen.length === 1);
      await sleep(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers['locale']).toEqual(['de']);
    });
  });

  describe('watchReport', () => {
    it('gives the current status and every change, and ends after the final one', async () => {
      await statuses.create(queued('w-1'));
      const seen: ReportStatus[] = [];
      const done = (async () => {
        for await (const s of watchReport(transport, 'w-1')) seen.push(s);
      })();
      await waitFor(() => seen.length === 1, { what: 'the current status' });
      await set('w-1', { state: 'fetching', updatedAt: at(1) });
      await set('w-1', { pagesDone: 1, updatedAt: at(2) });
      await set('w-1', { state: 'aggregating', pagesDone: 2, updatedAt: at(3) });
      await set('w-1', { state: 'importing', updatedAt: at(4) });
      await set('w-1', { state: 'ready', updatedAt: at(5) });
      await done;
      await set('w-1', { updatedAt: at(6) });
      expect(seen.map((s) => [s.state, s.pagesDone])).toEqual([
        ['queued', 0],
        ['fetching', 0],
        ['fetching', 1],
        ['aggregating', 2],
        ['importing', 2],
        ['ready', 2],
      ]);
    });

    it('may start before the report exists', async () => {
      const seen = collect(watchReport(transport, 'w-early', { timeoutMs: 10_000 }));
      await sleep(200);
      await statuses.create(queued('w-early'));
      await set('w-early', { state: 'failed', error: { stage: 'fetch', code: 'github_422', message: 'bad query' }, updatedAt: at(1) });
      const states = (await seen).map((s) => s.state);
      // On a busy machine the watch may begin after the first write and see only the latest value.
      expect(['queued', 'failed'].slice(-states.length)).toEqual(states);
    });

    it('ends at once for a report that is already final', async () => {
      await statuses.create({ ...queued('w-done'), state: 'ready' });
      expect((await collect(watchReport(transport, 'w-done'))).map((s) => s.state)).toEqual(['ready']);
    });

    it('throws ReportTimeoutError with the last status when no final state comes in time', async () => {
      await statuses.create({ ...queued('w-slow'), state: 'fetching', pagesDone: 1 });
      const started = Date.now();
      const err = await collect(watchReport(transport, 'w-slow', { timeoutMs: 300 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportTimeoutError);
      expect(err).toMatchObject({ code: 'REPORT_TIMEOUT', reportId: 'w-slow', timeoutMs: 300, last: { state: 'fetching', pagesDone: 1 } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });

    it('throws the abort reason when the signal fires', async () => {
      await statuses.create(queued('w-abort'));
      const controller = new AbortController();
      const seen: ReportStatus[] = [];
      const outcome = (async () => {
        for await (const s of watchReport(transport, 'w-abort', { signal: controller.signal })) seen.push(s);
      })().catch((e: unknown) => e);
      await waitFor(() => seen.length === 1);
      controller.abort();
      expect(await outcome).toMatchObject({ name: 'AbortError' });
      await expect(collect(watchReport(transport, 'w-abort', { signal: controller.signal }))).rejects.toMatchObject({ name: 'AbortError' });
    });

    it('stops when the signal fires while the watch is still being opened', async () => {
      const controller = new AbortController();
      // No status will ever appear: only the abort can end this watch.
      const first = watchReport(transport, 'w-abort-opening', { signal: controller.signal }).next();
      controller.abort();
      const hung = sleep(10_000).then(() => 'still watching');
      expect(await Promise.race([first.catch((e: unknown) => e), hung])).toMatchObject({ name: 'AbortError' });
    });

    it('throws ReportWatchEndedError when the connection closes first', async () => {
      const own = await NatsTransport.connect({ servers: server.url, name: 'client-test-closing' });
      const seen: ReportStatus[] = [];
      await statuses.create(queued('w-closed'));
      const outcome = (async () => {
        for await (const s of watchReport(own, 'w-closed')) seen.push(s);
      })().catch((e: unknown) => e);
      await waitFor(() => seen.length === 1);
      await own.close();
      expect(await outcome).toBeInstanceOf(ReportWatchEndedError);
    });
  });

  describe('waitForReport', () => {
    it('returns the ready status and reports progress on the way', async () => {
      await statuses.create(queued('r-ok'));
      const progress: string[] = [];
      const result = waitForReport(transport, 'r-ok', { onProgress: (s) => progress.push(`${s.state}:${s.pagesDone}`), timeoutMs: 10_000 });
      await waitFor(() => progress.length === 1);
      await set('r-ok', { state: 'fetching', pagesDone: 1, updatedAt: at(1) });
      await set('r-ok', { state: 'ready', pagesDone: 2, updatedAt: at(2) });
      await expect(result).resolves.toMatchObject({ reportId: 'r-ok', state: 'ready' });
      expect(progress).toEqual(['queued:0', 'fetching:1', 'ready:2']);
    });

    it('throws ReportFailedError with the reason of a failed report', async () => {
      const error = { stage: 'import' as const, code: 'import_failed', message: 'cannot write report file' };
      await statuses.create({ ...queued('r-bad'), state: 'failed', error });
      const err = await waitForReport(transport, 'r-bad').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportFailedError);
      expect(err).toMatchObject({ code: 'REPORT_FAILED', reportId: 'r-bad', error });
      expect((err as Error).message).toBe('report r-bad failed at import: cannot write report file (import_failed)');
    });

    it('throws ReportTimeoutError when the report does not finish in time', async () => {
      await expect(waitForReport(transport, 'r-never', { timeoutMs: 200 })).rejects.toMatchObject({ code: 'REPORT_TIMEOUT', last: undefined });
    });
  });

  describe('downloadReport', () => {
    const csv = new TextEncoder().encode('Go,golang/go\r\n');
    const file = {
      name: 'github-hot-repos-2026-11-20.csv',
      bytes: csv.byteLength,
      sha256: createHash('sha256').update(csv).digest('hex'),
      objectKey: 'd-1/github-hot-repos-2026-11-20.csv',
      path: '/media/d-1/github-hot-repos-2026-11-20.csv',
    };
    const ready: ReportStatus = { ...queued('d-1'), state: 'ready', file };

    it('returns the stored bytes when they match the status', async () => {
      await (await transport.objectStore(ObjectStores.Reports)).put(file.objectKey, csv);
      expect(Buffer.from(await downloadReport(transport, ready)).equals(csv)).toBe(true);
    });

    it('refuses bytes that differ from what the status records', async () => {
      await (await transport.objectStore(ObjectStores.Reports)).put(file.objectKey, new TextEncoder().encode('Go,evil/go\r\n'));
      const err = await downloadReport(transport, ready).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportIntegrityError);
      expect(err).toMatchObject({ code: 'REPORT_INTEGRITY', objectKey: file.objectKey, expected: { bytes: file.bytes, sha256: file.sha256 } });
    });

    it('names a missing object and a report without a file', async () => {
      await expect(downloadReport(transport, ready)).rejects.toBeInstanceOf(ReportFileMissingError);
      const err = await downloadReport(transport, queued('d-2')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportNotReadyError);
      expect(err).toMatchObject({ code: 'REPORT_NOT_READY', reportId: 'd-2', state: 'queued' });
    });
  });
});
