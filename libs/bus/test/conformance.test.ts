/**
 * One suite, both adapters: what every service relies on from the transport and the typed bus.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@hotrepos/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CasConflictError,
  ContractViolation,
  createBus,
  currentScope,
  decodeDeadLetter,
  PayloadTooLargeError,
  NoRespondersError,
  RequestTimeoutError,
  TransientError,
  UnrecoverableError,
  withScope,
  type Bus,
  type Delivery,
  type Transport,
} from '../src/index.js';
import { bytes, deferred, fastBackoff, testContracts, testStreams, type Job } from './fixtures.js';
import { memoryAdapter, natsAdapter, type Broker } from './harness.js';

type TestBus = Bus<typeof testContracts>;

describe.each([natsAdapter, memoryAdapter])('conformance: $name', (adapter) => {
  let broker: Broker;
  beforeEach(async () => {
    broker = await adapter.start();
  });
  afterEach(async () => {
    await broker.close();
  });

  const newBus = async (opts: { service?: string; maxPayloadBytes?: number; transport?: Transport } = {}): Promise<TestBus> =>
    createBus({
      transport: opts.transport ?? (await broker.connect()),
      contracts: testContracts,
      streams: testStreams,
      service: opts.service ?? 'svc',
      ...(opts.maxPayloadBytes ? { maxPayloadBytes: opts.maxPayloadBytes } : {}),
    });

  /** Collects what lands on a dead-letter subject. */
  const watchDlq = async (transport: Transport, subject: string) => {
    const letters: Delivery[] = [];
    await transport.consume(
      { stream: 'DLQ', durable: `dlq-reader-${subject.replace(/\W/g, '_')}`, filterSubject: `dlq.${subject}`, ackWaitMs: 30_000, maxDeliver: 5 },
      async (d) => {
        letters.push(d);
        d.ack();
      },
      { concurrency: 1 },
    );
    return letters;
  };

  it('publishes and consumes a typed message with contract and scope headers', async () => {
    const bus = await newBus();
    const got = deferred<{ job: Job; headers: Record<string, readonly string[]> }>();
    await bus.consume('jobs.work', async (job, ctx) => got.resolve({ job, headers: ctx.headers }));
    const ack = await bus.publish('jobs.work', { n: 1, note: 'hello' });
    expect(ack.duplicate).toBe(false);
    const { job, headers } = await got.promise;
    expect(job).toEqual({ n: 1, note: 'hello' });
    expect(headers['contract-version']).toEqual(['1']);
    expect(headers['correlation-id']?.[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['traceparent']?.[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('rejects an invalid payload at the sender and publishes nothing', async () => {
    const bus = await newBus();
    const seen: Job[] = [];
    await bus.consume('jobs.work', async (job) => void seen.push(job));
    await expect(bus.publish('jobs.work', { n: -1 } as Job)).rejects.toBeInstanceOf(ContractViolation);
    await expect(bus.publish('jobs.work', { n: 1, extra: true } as Job)).rejects.toThrow(/extra/);
    await bus.publish('jobs.work', { n: 2 });
    await waitFor(() => seen.length === 1);
    await sleep(100);
    expect(seen).toEqual([{ n: 2 }]);
  });

  it('de-duplicates publishes with the same message id', async () => {
    const bus = await newBus();
    const seen: number[] = [];
    await bus.consume('jobs.work', async (job) => void seen.push(job.n));
    const first = await bus.publish('jobs.work', { n: 1 }, { msgId: 'tick-1' });
    const again = await bus.publish('jobs.work', { n: 1 }, { msgId: 'tick-1' });
    await bus.publish('jobs.work', { n: 2 }, { msgId: 'tick-2' });
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, seq: first.seq });
    await waitFor(() => seen.length === 2);
    await sleep(100);
    expect(seen).toEqual([1, 2]);
  });

  it('a consumer that restarts resumes where it stopped', async () => {
    const producer = await newBus();
    for (let n = 1; n <= 10; n++) await producer.publish('jobs.work', { n });

    const firstRun: number[] = [];
    const first = await newBus();
    // Messages pushed towards the stopped consumer come back after the ack wait: keep it short.
    const ackWaitMs = 1_500;
    const sub = await first.consume(
      'jobs.work',
      async (job) => {
        firstRun.push(job.n);
      },
      { ackWaitMs },
    );
    await waitFor(() => firstRun.length >= 4);
    await sub.stop();
    const handledBeforeStop = [...firstRun];

    for (let n = 11; n <= 15; n++) await producer.publish('jobs.work', { n });
    const secondRun: number[] = [];
    const second = await newBus();
    await second.consume('jobs.work', async (job) => void secondRun.push(job.n), { ackWaitMs });
    await waitFor(() => new Set([...handledBeforeStop, ...secondRun]).size === 15, { what: 'all 15 jobs' });
    await sleep(ackWaitMs + 200);
    // Nothing acknowledged before the stop comes again; nothing is lost.
    expect(secondRun.filter((n) => handledBeforeStop.includes(n))).toEqual([]);
  });

  it('three competing consumers split the work with none lost or doubled', async () => {
    const producer = await newBus();
    const byConsumer: number[][] = [[], [], []];
    for (const [i, seen] of byConsumer.entries()) {
      const bus = await newBus({ service: 'workers' });
      await bus.consume(
        'jobs.work',
        async (job) => {
          seen.push(job.n);
          await sleep(1 + (job.n % 3));
        },
        { concurrency: 2, durable: 'workers' },
      );
      expect(i).toBeLessThan(3);
    }
    const total = 300;
    await Promise.all(Array.from({ length: total }, (_, n) => producer.publish('jobs.work', { n })));
    await waitFor(() => byConsumer.flat().length >= total, { what: `${total} jobs` });
    await sleep(200);
    const all = byConsumer.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: total }, (_, n) => n));
    for (const seen of byConsumer) expect(seen.length).toBeGreaterThan(0);
  });

  it('redelivers after a transient failure, no sooner than the requested delay', async () => {
    const bus = await newBus();
    const attempts: { at: number; count: number }[] = [];
    const done = deferred();
    await bus.consume(
      'jobs.work',
      async (_job, ctx) => {
        attempts.push({ at: Date.now(), count: ctx.deliveryCount });
        if (ctx.deliveryCount === 1) throw new TransientError('try later', { retryAfterMs: 400 });
        done.resolve();
      },
      { backoff: fastBackoff },
    );
    await bus.publish('jobs.work', { n: 1 });
    await done.promise;
    expect(attempts.map((a) => a.count)).toEqual([1, 2]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(350);
  });

  it('after max deliveries the message goes to dlq.<subject> with the reason', async () => {
    const bus = await newBus();
    const letters = await watchDlq(bus.transport, 'jobs.work');
    let calls = 0;
    await bus.consume(
      'jobs.work',
      async () => {
        calls++;
        throw new Error('database down');
      },
      { maxDeliver: 3, backoff: fastBackoff },
    );
    await bus.publish('jobs.work', { n: 7 });
    await waitFor(() => letters.length === 1, { what: 'a dead letter' });
    await sleep(300);
    expect(calls).toBe(3);
    expect(letters).toHaveLength(1);
    const letter = decodeDeadLetter(letters[0]!.data, letters[0]!.headers);
    expect(letter).toMatchObject({ subject: 'jobs.work', reason: 'max-deliveries', deliveries: 3, consumer: 'svc--jobs_work' });
    expect(letter.error).toMatch(/database down/);
    expect(JSON.parse(Buffer.from(letter.data, 'base64').toString())).toEqual({ n: 7 });
    expect(letter.headers['correlation-id']).toHaveLength(1);
  });

  it('an unrecoverable error dead-letters at once', async () => {
    const bus = await newBus();
    const letters = await watchDlq(bus.transport, 'jobs.work');
    let calls = 0;
    await bus.consume(
      'jobs.work',
      async () => {
        calls++;
        throw new UnrecoverableError('repository 42 is gone');
      },
      { maxDeliver: 5, backoff: fastBackoff },
    );
    await bus.publish('jobs.work', { n: 1 }, { msgId: 'original-1' });
    await waitFor(() => letters.length === 1);
    await sleep(200);
    expect(calls).toBe(1);
    expect(letters[0]!.headers['dlq-reason']).toEqual(['unrecoverable']);
    // Read back from the stream, the letter names the original's msg id, not its own.
    expect(decodeDeadLetter(letters[0]!.data, letters[0]!.headers).headers['Nats-Msg-Id']).toEqual(['original-1']);
    expect(letters[0]!.headers['dlq-error']?.[0]).toMatch(/repository 42 is gone/);
  });

  it('malformed messages are acknowledged, dead-lettered with the reason, and the consumer goes on', async () => {
    const bus = await newBus({ maxPayloadBytes: 4096 });
    const letters = await watchDlq(bus.transport, 'jobs.work');
    const handled: Job[] = [];
    await bus.consume('jobs.work', async (job) => void handled.push(job));
    const raw = bus.transport;
    const bad: [string, Uint8Array, Record<string, string>][] = [
      ['invalid-json', bytes('{"n": 1'), {}],
      ['invalid-json', new Uint8Array([0xff, 0xfe, 0x00]), {}],
      ['contract-violation', bytes({ n: 'one' }), {}],
      ['contract-violation', bytes({ n: 1, unknown: 'field' }), {}],
      ['unsupported-contract-version', bytes({ n: 1 }), { 'contract-version': '2' }],
      ['payload-too-large', bytes({ n: 1, note: 'x'.repeat(5000) }), {}],
    ];
    for (const [, data, headers] of bad) await raw.publish('jobs.work', data, { headers });
    await raw.publish('jobs.work', bytes({ n: 99 }));
    await waitFor(() => handled.length === 1 && letters.length === bad.length, { what: 'dead letters and the good message' });
    expect(handled).toEqual([{ n: 99 }]);
    expect(letters.map((l) => l.headers['dlq-reason']?.[0])).toEqual(bad.map(([reason]) => reason));
    for (const [i, letter] of letters.entries()) {
      // Nothing is lost: the original bytes and headers are kept verbatim.
      expect(Buffer.from(letter.data).equals(Buffer.from(bad[i]![1]))).toBe(true);
      for (const [k, v] of Object.entries(bad[i]![2])) expect(letter.headers[k]).toEqual([v]);
    }
    expect(letters[2]!.headers['dlq-error']?.[0]).toMatch(/n.*expected number/i);
    expect(letters[3]!.headers['dlq-error']?.[0]).toMatch(/unknown/i);
    expect(letters[4]!.headers['dlq-error']?.[0]).toMatch(/contract version 2/);
  });

  it('refuses to send a payload over the limit', async () => {
    const bus = await newBus({ maxPayloadBytes: 1024 });
    await expect(bus.publish('jobs.work', { n: 1, note: 'x'.repeat(2000) })).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it('key-value: put, get, compare-and-set, delete and watch', async () => {
    const transport = await broker.connect();
    const kv = await transport.keyValue('conformance-kv');
    const watch = await kv.watch({ key: 'report.*' });
    const seen: { key: string; value: string; op: string }[] = [];
    const watching = (async () => {
      for await (const e of watch) seen.push({ key: e.key, value: new TextDecoder().decode(e.value), op: e.operation });
    })();

    const r1 = await kv.create('report.a', bytes('queued'));
    await expect(kv.create('report.a', bytes('again'))).rejects.toBeInstanceOf(CasConflictError);
    const r2 = await kv.update('report.a', bytes('fetching'), r1);
    await expect(kv.update('report.a', bytes('stale'), r1)).rejects.toBeInstanceOf(CasConflictError);
    expect(r2).toBeGreaterThan(r1);
    const entry = await kv.get('report.a');
    expect(new TextDecoder().decode(entry?.value)).toBe('fetching');
    expect(entry?.revision).toBe(r2);
    await kv.put('other', bytes('not watched'));
    await kv.put('report.b', bytes('ready'));
    expect(await kv.keys()).toEqual(['other', 'report.a', 'report.b']);
    expect(await kv.keys('report.*')).toEqual(['report.a', 'report.b']);
    await kv.delete('report.b');
    expect(await kv.get('report.b')).toBeUndefined();

    await waitFor(() => seen.length === 4, { what: 'watch events' });
    watch.stop();
    await watching;
    expect(seen).toEqual([
      { key: 'report.a', value: 'queued', op: 'PUT' },
      { key: 'report.a', value: 'fetching', op: 'PUT' },
      { key: 'report.b', value: 'ready', op: 'PUT' },
      { key: 'report.b', value: '', op: 'DEL' },
    ]);

    // A watch started later first sees the current values.
    const late = await kv.watch({ key: 'report.*' });
    const firstSeen = await late[Symbol.asyncIterator]().next();
    late.stop();
    expect(firstSeen.value).toMatchObject({ key: 'report.a', revision: r2 });
  });

  it('object store: put and get a 5 MB file', async () => {
    const transport = await broker.connect();
    const os = await transport.objectStore('conformance-files');
    const data = randomBytes(5 * 1024 * 1024);
    const info = await os.put('big.bin', data);
    expect(info.size).toBe(data.byteLength);
    expect(info.digest).toBe(`SHA-256=${createHash('sha256').update(data).digest('base64').replace(/\+/g, '-').replace(/\//g, '_')}`);
    const back = await os.get('big.bin');
    expect(back && Buffer.from(back).equals(data)).toBe(true);
    expect(await os.info('big.bin')).toMatchObject({ name: 'big.bin', size: data.byteLength });
    await os.delete('big.bin');
    expect(await os.get('big.bin')).toBeUndefined();
    expect(await os.get('missing')).toBeUndefined();
  });

  it('object store: opens a file as a stream of its exact bytes', async () => {
    const transport = await broker.connect();
    const os = await transport.objectStore('conformance-streams');
    const data = randomBytes(300 * 1024);
    await os.put('dir/file.csv', data);
    const opened = await os.open('dir/file.csv');
    expect(opened?.info).toMatchObject({ name: 'dir/file.csv', size: data.byteLength });
    const chunks: Uint8Array[] = [];
    for await (const chunk of opened!.stream) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    await os.put('empty.csv', new Uint8Array(0));
    const empty = await os.open('empty.csv');
    const emptyChunks: Uint8Array[] = [];
    for await (const chunk of empty!.stream) emptyChunks.push(chunk);
    expect(Buffer.concat(emptyChunks).byteLength).toBe(0);
    expect(await os.open('missing')).toBeUndefined();
    await os.delete('dir/file.csv');
    expect(await os.open('dir/file.csv')).toBeUndefined();
  });

  it('is ready once connected and the named streams exist', async () => {
    const transport = await broker.connect();
    await createBus({ transport, contracts: testContracts, streams: testStreams, service: 'svc' });
    expect(await transport.ready(testStreams.map((s) => s.name))).toEqual({ ok: true });
    const missing = await transport.ready([...testStreams.map((s) => s.name), 'NO_SUCH_STREAM']);
    expect(missing).toEqual({ ok: false, reason: expect.stringContaining('NO_SUCH_STREAM') });
    await transport.close();
    expect((await transport.ready([])).ok).toBe(false);
  });

  it('request/reply, and a clear timeout when nobody answers', async () => {
    const transport = await broker.connect();
    await transport.respond('svc.echo', async (m) => ({ data: bytes({ echoed: JSON.parse(new TextDecoder().decode(m.data)) }), headers: { 'x-seen': m.headers['x-in']?.[0] ?? '' } }), { queue: 'echo' });
    const reply = await transport.request('svc.echo', bytes({ a: 1 }), { headers: { 'x-in': 'yes' }, timeoutMs: 5_000 });
    expect(JSON.parse(new TextDecoder().decode(reply.data))).toEqual({ echoed: { a: 1 } });
    expect(reply.headers['x-seen']).toEqual(['yes']);
    await expect(transport.request('svc.nobody', bytes({}), { timeoutMs: 200 })).rejects.toBeInstanceOf(NoRespondersError);
    await transport.respond('svc.slow', async () => {
      await sleep(1_000);
      return { data: bytes('late') };
    });
    await expect(transport.request('svc.slow', bytes({}), { timeoutMs: 200 })).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it('stop drains: running handlers finish and are acknowledged, the rest is returned', async () => {
    const bus = await newBus();
    // A message the broker pushed towards the stopping consumer may only come back after the ack wait, so keep it short.
    const ackWaitMs = 1_500;
    const started: number[] = [];
    const finished: number[] = [];
    const sub = await bus.consume(
      'jobs.work',
      async (job) => {
        started.push(job.n);
        await sleep(300);
        finished.push(job.n);
      },
      { concurrency: 2, ackWaitMs },
    );
    for (let n = 1; n <= 6; n++) await bus.publish('jobs.work', { n });
    await waitFor(() => started.length === 2);
    await sub.stop();
    expect(finished.sort()).toEqual(started.sort());
    const inFlightAtStop = [...finished];

    const rest: number[] = [];
    const again = await newBus();
    await again.consume('jobs.work', async (job) => void rest.push(job.n), { ackWaitMs });
    await waitFor(() => new Set([...inFlightAtStop, ...rest]).size === 6, { what: 'the rest' });
    await sleep(ackWaitMs + 200);
    // Work finished before the stop was acknowledged and never comes back.
    expect(rest.filter((n) => inFlightAtStop.includes(n))).toEqual([]);
  });

  it('gives a chain that arrives without a correlation id one id for everything its handler publishes', async () => {
    const bus = await newBus();
    const ids: (string | undefined)[] = [];
    await bus.consume('jobs.first', async () => {
      await bus.publish('jobs.second', { n: 1 });
      await bus.publish('jobs.second', { n: 2 });
    });
    await bus.consume('jobs.second', async () => void ids.push(currentScope().correlationId));
    await bus.transport.publish('jobs.first', bytes({ n: 0 }));
    await waitFor(() => ids.length === 2);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
  });

  it('carries the scope across two hops; an explicit value wins', async () => {
    const bus = await newBus();
    const seen = new Map<string, ReturnType<typeof currentScope>>();
    const done = deferred();
    await bus.consume('jobs.first', async () => {
      seen.set('first', currentScope());
      await bus.publish('jobs.second', { n: 2 });
      await bus.publish('jobs.third', { n: 3 }, { scope: { locale: 'fr' } });
    });
    await bus.consume('jobs.second', async () => {
      seen.set('second', currentScope());
      if (seen.size === 3) done.resolve();
    });
    await bus.consume('jobs.third', async () => {
      seen.set('third', currentScope());
      if (seen.size === 3) done.resolve();
    });
    const origin = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await withScope({ locale: 'de', correlationId: 'corr-42', traceparent: origin }, () => bus.publish('jobs.first', { n: 1 }));
    expect(currentScope()).toEqual({});
    await done.promise;

    const traceId = (tp: string | undefined) => tp?.split('-')[1];
    const spanId = (tp: string | undefined) => tp?.split('-')[2];
    expect(seen.get('first')).toMatchObject({ locale: 'de', correlationId: 'corr-42' });
    expect(seen.get('second')).toMatchObject({ locale: 'de', correlationId: 'corr-42' });
    expect(seen.get('third')).toMatchObject({ locale: 'fr', correlationId: 'corr-42' });
    for (const hop of ['first', 'second', 'third']) expect(traceId(seen.get(hop)?.traceparent)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const spans = ['first', 'second', 'third'].map((h) => spanId(seen.get(h)?.traceparent));
    expect(new Set([...spans, '00f067aa0ba902b7']).size).toBe(4);
  });
});
