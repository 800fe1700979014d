/**
 * The client helpers against a real nats-server. No service runs: the test plays the aggregator
 * and the importer by writing the status and the object itself.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { NatsTransport, type Delivery, type KeyValueStore, type KvWatch, type Transport } from '@hotrepos/bus';
import { Buckets, ObjectStores, RequestId, ReportRequest, Streams, Subjects, type ReportStatus } from '@hotrepos/contracts';
import { ReportStatusStore } from '@hotrepos/reports';
import { createHotBus, type HotBus } from '@hotrepos/runtime';
import { startNatsServer, waitFor, type NatsServer } from '@hotrepos/testing';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  downloadReport,
  natsConnectionEvents,
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
const encoder = new TextEncoder();

/** `target` with some methods replaced; the others still run on `target` itself, whose private fields a plain copy would lose. */
function overriding<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (prop in overrides) return overrides[prop as keyof T];
      const value: unknown = Reflect.get(t, prop);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

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

    it('throws ReportWatchEndedError when the connection closes first, with or without its events', async () => {
      await statuses.create(queued('w-closed'));
      for (const withEvents of [false, true]) {
        const own = await NatsTransport.connect({ servers: server.url, name: 'client-test-closing' });
        const seen: ReportStatus[] = [];
        const outcome = (async () => {
          for await (const s of watchReport(own, 'w-closed', withEvents ? { connection: natsConnectionEvents(own) } : {})) seen.push(s);
        })().catch((e: unknown) => e);
        await waitFor(() => seen.length === 1);
        await own.close();
        expect(await outcome).toBeInstanceOf(ReportWatchEndedError);
      }
    });
  });

  describe('riding out outages', () => {
    const kvStream = `KV_${Buckets.ReportStatus}`;
    const api = async (subject: string) => JSON.parse(decoder.decode((await transport.request(subject, encoder.encode('{}'), { timeoutMs: 2_000 })).data)) as Record<string, unknown>;
    const watchConsumers = async () => ((await api(`$JS.API.CONSUMER.NAMES.${kvStream}`))['consumers'] as string[] | null) ?? [];
    // Deleted now, or already gone (the server may drop a consumer nobody listens to); anything else is JetStream still starting.
    const CONSUMER_NOT_FOUND = 10014;
    const isGone = (reply: Record<string, unknown>) => reply['success'] === true || (reply['error'] as { err_code?: number } | undefined)?.err_code === CONSUMER_NOT_FOUND;

    it('opens the watch again after nats-server restarts, and reads the status written meanwhile', async () => {
      const { port, storeDir } = server;
      // Its own connection, so that the suite's writes are not what brings it back.
      const own = await NatsTransport.connect({ servers: server.url, name: 'client-test-waiting' });
      try {
        await statuses.create(queued('o-restart'));
        const progress: string[] = [];
        const result = waitForReport(own, 'o-restart', { connection: natsConnectionEvents(own), timeoutMs: 30_000, onProgress: (s) => progress.push(`${s.state}:${s.pagesDone}`) });
        await waitFor(() => progress.length === 1, { what: 'the current status' });
        const [before] = await watchConsumers();

        await server.stop({ keepStore: true });
        server = await startNatsServer({ port, storeDir });
        // The watch's consumer does not come back, as when the node that held it is gone for good: only
        // a new watch sees what follows. (nats.js would recreate it after a minute of missed heartbeats.)
        await waitFor(async () => isGone(await api(`$JS.API.CONSUMER.DELETE.${kvStream}.${before}`)), { what: `consumer ${before} deleted` });
        await set('o-restart', { state: 'fetching', pagesDone: 1, updatedAt: at(1) });
        await set('o-restart', { state: 'ready', pagesDone: 2, updatedAt: at(2) });

        await expect(result).resolves.toMatchObject({ reportId: 'o-restart', state: 'ready' });
        // The re-read current status may have skipped the middle step, never the end.
        expect(progress[0]).toBe('queued:0');
        expect(progress.at(-1)).toBe('ready:2');
        expect(new Set(progress).size).toBe(progress.length);
      } finally {
        await own.close();
        await rm(storeDir, { recursive: true, force: true });
      }
    });

    it('opens a watch that ended on its own again, with backoff past a failed attempt, without repeating the last status', async () => {
      const kv = await transport.keyValue(Buckets.ReportStatus);
      const watches: KvWatch[] = [];
      let refusals = 0;
      const flakyKv = overriding<KeyValueStore>(kv, {
        async watch(opts) {
          if (refusals > 0) {
            refusals--;
            throw new Error('JetStream is not ready yet');
          }
          const watch = await kv.watch(opts);
          watches.push(watch);
          return watch;
        },
      });
      const flaky = overriding<Transport>(transport, { keyValue: async () => flakyKv });
      await statuses.create(queued('o-ended'));
      const progress: string[] = [];
      const result = waitForReport(flaky, 'o-ended', {
        connection: { subscribe: () => () => undefined },
        reopenBackoff: { initialMs: 5, maxMs: 20 },
        timeoutMs: 30_000,
        onProgress: (s) => progress.push(`${s.state}:${s.pagesDone}`),
      });
      await waitFor(() => progress.length === 1, { what: 'the current status' });

      refusals = 1;
      watches[0]?.stop();
      await waitFor(() => watches.length === 2, { what: 'the watch opened again' });
      expect(refusals).toBe(0);
      await set('o-ended', { state: 'fetching', pagesDone: 1, updatedAt: at(1) });
      await set('o-ended', { state: 'ready', pagesDone: 2, updatedAt: at(2) });
      await expect(result).resolves.toMatchObject({ state: 'ready' });
      expect(progress).toEqual(['queued:0', 'fetching:1', 'ready:2']);
    });

    it('gives up at its own timeout while the watch cannot be opened again, with the last status and why', async () => {
      const kv = await transport.keyValue(Buckets.ReportStatus);
      const watches: KvWatch[] = [];
      const flakyKv = overriding<KeyValueStore>(kv, {
        async watch(opts) {
          if (watches.length > 0) throw new Error('JetStream is not ready yet');
          const watch = await kv.watch(opts);
          watches.push(watch);
          return watch;
        },
      });
      await statuses.create(queued('o-gone'));
      const outcome = collect(
        watchReport(overriding<Transport>(transport, { keyValue: async () => flakyKv }), 'o-gone', {
          connection: { subscribe: () => () => undefined },
          reopenBackoff: { initialMs: 5, maxMs: 20 },
          timeoutMs: 2_000,
        }),
      ).catch((e: unknown) => e);
      await waitFor(() => watches.length === 1);
      watches[0]?.stop();
      const err = await outcome;
      expect(err).toBeInstanceOf(ReportTimeoutError);
      expect(err).toMatchObject({ last: { state: 'queued' }, cause: { message: 'JetStream is not ready yet' } });
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
