/**
 * `GET /api/reports/:id/events` over real HTTP: every status snapshot written to the KV bucket
 * arrives as an SSE `status` event, the stream ends at a final state, and a client that leaves
 * takes its KV watch (an ephemeral JetStream consumer) with it.
 */
import { Buckets, type ReportStatus } from '@hotrepos/contracts';
import { NatsTransport } from '@hotrepos/bus';
import { waitFor } from '@hotrepos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, status, type Harness } from './harness.js';

interface SseEvent {
  readonly event?: string;
  readonly data?: string;
  readonly comment?: string;
}

/** Reads an event stream frame by frame until it ends or `stop` says so. */
async function readEvents(res: Response, onEvent: (e: SseEvent, all: SseEvent[]) => boolean | void): Promise<{ events: SseEvent[]; ended: boolean }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { events, ended: true };
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: Record<string, string> = {};
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) event['comment'] = line.slice(1).trim();
        else event[line.slice(0, line.indexOf(':'))] = line.slice(line.indexOf(':') + 1).trimStart();
      }
      events.push(event);
      if (onEvent(event, events) === true) {
        await reader.cancel();
        return { events, ended: false };
      }
    }
  }
}

const statuses = (events: SseEvent[]) => events.filter((e) => e.event === 'status').map((e) => JSON.parse(e.data!) as ReportStatus);

describe('report events', () => {
  let h: Harness;
  /** KV watches someone is listening to. */
  let consumers: () => Promise<number>;
  beforeAll(async () => {
    h = await startHarness({ env: { GATEWAY_SSE_KEEPALIVE: '200ms' } });
    const api = await NatsTransport.connect({ servers: h.nats.url, name: 'consumer-count' });
    const decoder = new TextDecoder();
    // A KV watch is an ephemeral push consumer on the bucket's stream, bound while someone listens. nats.js leaves an
    // unbound one for the server to drop after its inactive threshold (5 min), so what counts is the bound ones.
    consumers = async () => {
      const reply = await api.connection.request(`$JS.API.CONSUMER.LIST.KV_${Buckets.ReportStatus}`, '');
      const list = JSON.parse(decoder.decode(reply.data)) as { consumers: { push_bound?: boolean }[] };
      return list.consumers.filter((c) => c.push_bound === true).length;
    };
    return () => api.close();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('streams every snapshot, opened before the status exists, and ends after ready', async () => {
    const res = await fetch(`${h.url}/api/reports/sse-1/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('x-request-id')).toBeTruthy();

    const writer = (async () => {
      await waitFor(async () => (await consumers()) > 0, { what: 'the gateway watching the bucket' });
      await h.statuses.create(status('sse-1'));
      await h.statuses.update('sse-1', (s) => ({ ...s, state: 'fetching', pagesDone: 2 }));
      await h.statuses.update('sse-1', (s) => ({ ...s, state: 'ready', pagesDone: 5 }));
      // Written after the stream ended: never seen.
      await h.statuses.update('sse-1', (s) => ({ ...s, pagesDone: 4 }));
    })();
    const { events, ended } = await readEvents(res, () => false);
    await writer;
    expect(ended).toBe(true);
    const seen = statuses(events);
    expect(seen.at(-1)).toMatchObject({ reportId: 'sse-1', state: 'ready', pagesDone: 5 });
    // A watcher may coalesce, never reorder: the states only move forward.
    const order = ['queued', 'fetching', 'ready'];
    expect(seen.map((s) => order.indexOf(s.state))).toEqual([...seen.map((s) => order.indexOf(s.state))].sort());
    expect(seen.filter((s) => s.state === 'ready')).toHaveLength(1);
  });

  it('starts with the current status of a report that exists, and ends at once when it is already failed', async () => {
    await h.statuses.create(status('sse-failed', { state: 'failed', error: { stage: 'fetch', code: 'github_422', message: 'Validation Failed' } }));
    const { events, ended } = await readEvents(await fetch(`${h.url}/api/reports/sse-failed/events`), () => false);
    expect(ended).toBe(true);
    expect(statuses(events)).toEqual([expect.objectContaining({ reportId: 'sse-failed', state: 'failed' })]);
  });

  it('sends keep-alive comments while nothing changes', async () => {
    await h.statuses.create(status('sse-quiet'));
    const { events } = await readEvents(await fetch(`${h.url}/api/reports/sse-quiet/events`), (_e, all) => all.filter((e) => e.comment === 'keep-alive').length >= 2);
    expect(statuses(events)).toHaveLength(1);
  });

  it('stops the KV watch when the client disconnects', async () => {
    // The previous test left its stream the same way.
    await waitFor(async () => (await consumers()) === 0, { what: 'no watch left from before' });
    await h.statuses.create(status('sse-leave'));
    const abort = new AbortController();
    const res = await fetch(`${h.url}/api/reports/sse-leave/events`, { signal: abort.signal });
    await readEvents(res, (e) => e.event === 'status');
    // push_bound shows once the server has seen the watch's interest, which can trail its first message.
    await waitFor(async () => (await consumers()) === 1, { what: 'the stream\'s watch consumer' });
    abort.abort();
    await waitFor(async () => (await consumers()) === 0, { what: 'the watch consumer to be gone', timeoutMs: 10_000 });
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
    // Nor does its socket stay: a leftover would hold the gateway's close for the keep-alive timeout.
    const connections = () => new Promise<number>((resolve, reject) => h.app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
    await waitFor(async () => (await connections()) === 0, { what: 'the stream\'s connection to close', timeoutMs: 10_000 });
  });

  it('opens no watch for a HEAD request', async () => {
    await waitFor(async () => (await consumers()) === 0, { what: 'no watch left from before' });
    const res = await fetch(`${h.url}/api/reports/sse-head/events`, { method: 'HEAD' });
    expect(res.status).toBe(404);
    expect(await consumers()).toBe(0);
  });

  it('rejects a malformed id with 400 before watching', async () => {
    const res = await fetch(`${h.url}/api/reports/a..b/events`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('ends open streams when the app closes', async () => {
    await h.statuses.create(status('sse-closing'));
    const res = await fetch(`${h.url}/api/reports/sse-closing/events`);
    const reading = readEvents(res, () => false);
    await waitFor(async () => (await consumers()) > 0, { what: 'the stream to be open' });
    await h.app.close();
    const { ended } = await reading;
    expect(ended).toBe(true);
    await waitFor(async () => (await consumers()) === 0, { what: 'the watch consumer to be gone', timeoutMs: 10_000 });
  });
});

describe('report events, bounded', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { GATEWAY_SSE_MAX_STREAMS: '2', GATEWAY_SSE_KEEPALIVE: '200ms' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('turns a stream past GATEWAY_SSE_MAX_STREAMS away with 503 and Retry-After, and takes one again once a stream ends', async () => {
    const leave = new AbortController();
    const first = await fetch(`${h.url}/api/reports/cap-1/events`, { signal: leave.signal });
    const leaveToo = new AbortController();
    const second = await fetch(`${h.url}/api/reports/cap-2/events`, { signal: leaveToo.signal });
    expect([first.status, second.status]).toEqual([200, 200]);

    const refused = await fetch(`${h.url}/api/reports/cap-3/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_STREAMS');

    leave.abort();
    await waitFor(async () => {
      const retry = new AbortController();
      const again = await fetch(`${h.url}/api/reports/cap-4/events`, { signal: retry.signal });
      retry.abort();
      return again.status === 200;
    }, { what: 'a stream slot to come free' });
    leaveToo.abort();
  });
});
