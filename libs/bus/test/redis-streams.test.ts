/**
 * Streams and durable consumers on Redis against a real redis-server: routing, de-duplication,
 * payload limit, competing consumers, nak with delay, ack-wait redelivery of a dead consumer's
 * message, working(), maxDeliver, term, draining stop, and Redis errors as TransportError.
 */
import { startRedisServer, waitFor, type RedisServer } from '@hotrepos/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PayloadTooLargeError, TransportError } from '../src/errors.js';
import { RedisConsumers } from '../src/redis/consumer.js';
import { RedisStreams, streamKey } from '../src/redis/streams.js';
import type { ConsumerSpec, Delivery, Subscription } from '../src/transport.js';

const enc = (s: string) => new TextEncoder().encode(s);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function suite() {
  let server: RedisServer;
  const clients: Redis[] = [];
  const subs: Subscription[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    await Promise.all(subs.splice(0).map((s) => s.stop()));
    for (const c of clients.splice(0)) c.disconnect();
  });
  let n = 0;
  return {
    client(): Redis {
      const r = new Redis(server.url);
      clients.push(r);
      return r;
    },
    /** A fresh stream name per test, so tests on one server do not see each other's messages. */
    name: () => `S${++n}`,
    track(sub: Subscription): Subscription {
      subs.push(sub);
      return sub;
    },
  };
}

describe('Redis streams: publish', () => {
  const s = suite();

  it('routes by subject, wildcards included, and rejects a subject no stream captures', async () => {
    const streams = new RedisStreams(s.client());
    await streams.ensureStream({ name: 'ORDERS', subjects: ['orders.*'] });
    await streams.ensureStream({ name: 'DLQ', subjects: ['dlq.>'] });
    expect(await streams.publish('dlq.orders.created', enc('a'))).toEqual({ stream: 'DLQ', seq: 1, duplicate: false });
    expect(await streams.publish('orders.created', enc('b'))).toEqual({ stream: 'ORDERS', seq: 1, duplicate: false });
    expect(await streams.publish('orders.created', enc('c'))).toEqual({ stream: 'ORDERS', seq: 2, duplicate: false });
    await expect(streams.publish('orders.created.late', enc('d'))).rejects.toBeInstanceOf(TransportError);
    // A second process that never called ensureStream routes from the specs kept in Redis.
    expect(await new RedisStreams(s.client()).publish('dlq.x', enc('e'))).toMatchObject({ stream: 'DLQ', seq: 2 });
  });

  it('drops a duplicate message id within the window and accepts it after', async () => {
    const streams = new RedisStreams(s.client());
    const name = s.name();
    await streams.ensureStream({ name, subjects: [`${name}.>`], duplicateWindowMs: 300 });
    expect(await streams.publish(`${name}.a`, enc('1'), { msgId: 'm1' })).toEqual({ stream: name, seq: 1, duplicate: false });
    expect(await streams.publish(`${name}.a`, enc('2'), { msgId: 'm1' })).toEqual({ stream: name, seq: 1, duplicate: true });
    expect(await s.client().xlen(streamKey(name))).toBe(1);
    await sleep(400);
    expect(await streams.publish(`${name}.a`, enc('3'), { msgId: 'm1' })).toEqual({ stream: name, seq: 2, duplicate: false });
  });

  it('refuses a payload over the limit and stores nothing', async () => {
    const redis = s.client();
    const streams = new RedisStreams(redis, { maxPayload: 10 });
    const name = s.name();
    await streams.ensureStream({ name, subjects: [`${name}.>`] });
    await expect(streams.publish(`${name}.a`, new Uint8Array(11))).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(await redis.xlen(streamKey(name))).toBe(0);
  });

  it('surfaces a Redis error (OOM) as TransportError with its cause', async () => {
    const redis = s.client();
    const streams = new RedisStreams(redis);
    const name = s.name();
    await streams.ensureStream({ name, subjects: [`${name}.>`] });
    await redis.config('SET', 'maxmemory', '1');
    try {
      const err: unknown = await streams.publish(`${name}.a`, enc('x')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as Error).message).toMatch(/OOM/);
      expect((err as Error).cause).toBeInstanceOf(Error);
    } finally {
      await redis.config('SET', 'maxmemory', '0');
    }
  });
});

describe('Redis streams: consumers', () => {
  const s = suite();

  const setup = async (overrides: Partial<ConsumerSpec> = {}) => {
    const name = s.name();
    const streams = new RedisStreams(s.client());
    await streams.ensureStream({ name, subjects: [`${name}.>`] });
    const spec: ConsumerSpec = { stream: name, durable: 'workers', filterSubject: `${name}.>`, ackWaitMs: 300, maxDeliver: 5, ...overrides };
    const consumers = () => new RedisConsumers(s.client(), { blockMs: 100 });
    await consumers().ensureConsumer(spec);
    return { name, streams, spec, consumers };
  };

  it('three competing consumers split the work with none lost or doubled, skipping other subjects', async () => {
    const { name, streams, spec, consumers } = await setup();
    const filtered = { ...spec, filterSubject: `${name}.work` };
    const seen: number[] = [];
    const byConsumer = new Map<number, number>();
    for (let i = 0; i < 3; i++) {
      s.track(
        await consumers().consume(
          filtered,
          async (d) => {
            seen.push(d.streamSeq);
            byConsumer.set(i, (byConsumer.get(i) ?? 0) + 1);
            await sleep(5);
            d.ack();
          },
          { concurrency: 2 },
        ),
      );
    }
    for (let i = 0; i < 30; i++) await streams.publish(`${name}.work`, enc(String(i)));
    await streams.publish(`${name}.other`, enc('skip'));
    await waitFor(() => seen.length >= 30);
    await sleep(300);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(byConsumer.size).toBe(3);
    const pending = (await s.client().xpending(streamKey(name), 'workers')) as [number];
    expect(pending[0]).toBe(0);
  });

  it('redelivers after a nak no sooner than the requested delay', async () => {
    const { name, streams, spec, consumers } = await setup();
    const deliveries: { at: number; d: Delivery }[] = [];
    s.track(
      await consumers().consume(
        spec,
        (d) => {
          deliveries.push({ at: Date.now(), d });
          if (d.deliveryCount === 1) d.nak(400);
          else d.ack();
          return Promise.resolve();
        },
        { concurrency: 1 },
      ),
    );
    await streams.publish(`${name}.a`, enc('x'), { headers: { h: 'v' } });
    await waitFor(() => deliveries.length >= 2);
    const [first, second] = deliveries;
    expect(second?.d.deliveryCount).toBe(2);
    expect(second?.d.storedAt.getTime()).toBe(first?.d.storedAt.getTime());
    expect(second?.d.headers).toEqual({ h: ['v'] });
    expect((second?.at ?? 0) - (first?.d.storedAt.getTime() ?? 0)).toBeGreaterThanOrEqual(400);
  });

  it('a message whose consumer died comes back to another after ackWait, with deliveryCount 2', async () => {
    const { name, streams, spec, consumers } = await setup();
    await streams.publish(`${name}.a`, enc('x'));
    const dead = s.client();
    const read = await dead.xreadgroup('GROUP', 'workers', 'dead', 'COUNT', 1, 'STREAMS', streamKey(name), '>');
    expect(read).not.toBeNull();
    const got: Delivery[] = [];
    s.track(await consumers().consume(spec, (d) => (got.push(d), d.ack(), Promise.resolve()), { concurrency: 1 }));
    await waitFor(() => got.length >= 1);
    expect(got[0]).toMatchObject({ deliveryCount: 2, stream: name, streamSeq: 1, consumer: 'workers', subject: `${name}.a` });
  });

  it('working() keeps a long handler from being redelivered', async () => {
    const { name, streams, spec, consumers } = await setup();
    const counts: number[] = [];
    const handler = async (d: Delivery) => {
      counts.push(d.deliveryCount);
      for (let i = 0; i < 8; i++) {
        await sleep(100);
        d.working();
      }
      d.ack();
    };
    s.track(await consumers().consume(spec, handler, { concurrency: 1 }));
    s.track(await consumers().consume(spec, handler, { concurrency: 1 }));
    await streams.publish(`${name}.a`, enc('x'));
    await sleep(1_200);
    expect(counts).toEqual([1]);
  });

  it('stops delivering after maxDeliver', async () => {
    const { name, streams, spec, consumers } = await setup({ maxDeliver: 2 });
    const counts: number[] = [];
    s.track(await consumers().consume(spec, (d) => (counts.push(d.deliveryCount), d.nak(), Promise.resolve()), { concurrency: 1 }));
    await streams.publish(`${name}.a`, enc('x'));
    await waitFor(() => counts.length >= 2);
    await sleep(800);
    expect(counts).toEqual([1, 2]);
  });

  it('term() acknowledges and never delivers again', async () => {
    const { name, streams, spec, consumers } = await setup();
    const counts: number[] = [];
    s.track(await consumers().consume(spec, (d) => (counts.push(d.deliveryCount), d.term(), Promise.resolve()), { concurrency: 1 }));
    await streams.publish(`${name}.a`, enc('x'));
    await waitFor(() => counts.length >= 1);
    await sleep(800);
    expect(counts).toEqual([1]);
    const pending = (await s.client().xpending(streamKey(name), 'workers')) as [number];
    expect(pending[0]).toBe(0);
  });

  it('stop drains: a handler in flight finishes and is acknowledged', async () => {
    const { name, streams, spec, consumers } = await setup();
    let started = false;
    let finished = false;
    const sub = await consumers().consume(
      spec,
      async (d) => {
        started = true;
        await sleep(300);
        finished = true;
        d.ack();
      },
      // A free slot keeps the loop in its blocking read while the handler runs, so stop must wait for the handler itself.
      { concurrency: 2 },
    );
    await streams.publish(`${name}.a`, enc('x'));
    await waitFor(() => started);
    await sub.stop();
    expect(finished).toBe(true);
    const pending = (await s.client().xpending(streamKey(name), 'workers')) as [number];
    expect(pending[0]).toBe(0);
    const names = (await s.client().xinfo('CONSUMERS', streamKey(name), 'workers')) as unknown[];
    expect(names).toEqual([]);
  });
});
