/**
 * Request/reply over a real redis-server: plain responders, queue groups splitting the work with each
 * request answered once, NoRespondersError, RequestTimeoutError, a stop that drains the request in hand.
 */
import { startRedisServer, waitFor, type RedisServer } from '@hotrepos/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NoRespondersError, RequestTimeoutError, TransportError } from '../src/errors.js';
import { RedisRequestReply } from '../src/redis/request-reply.js';
import type { Subscription } from '../src/transport.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('Redis request/reply', () => {
  let server: RedisServer;
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => server.stop());

  const rpc = (): RedisRequestReply => {
    const redis = new Redis(server.url);
    const r = new RedisRequestReply(redis);
    cleanups.push(async () => {
      await r.close();
      redis.disconnect();
    });
    return r;
  };
  const track = (sub: Subscription) => {
    cleanups.push(() => sub.stop());
    return sub;
  };

  it('answers a request, with data and headers both ways', async () => {
    const responder = rpc();
    track(await responder.respond('math.echo', async (m) => ({ data: enc(`echo:${dec(m.data)}:${m.headers['x-a']?.[0]}`), headers: { 'x-b': '2' } })));
    const reply = await rpc().request('math.echo', enc('hi'), { headers: { 'x-a': '1' } });
    expect(dec(reply.data)).toBe('echo:hi:1');
    expect(reply.headers['x-b']).toEqual(['2']);
  });

  it('a queue group splits requests between its responders, each answered once', async () => {
    const seen: Record<string, string[]> = { a: [], b: [] };
    for (const who of ['a', 'b'] as const) {
      track(
        await rpc().respond(
          'work.split',
          async (m) => {
            seen[who]!.push(dec(m.data));
            await new Promise((r) => setTimeout(r, 20));
            return { data: enc(who) };
          },
          { queue: 'workers' },
        ),
      );
    }
    const requester = rpc();
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => requester.request('work.split', enc(String(i)))));
    expect(replies).toHaveLength(20);
    const handled = [...seen['a']!, ...seen['b']!].sort((x, y) => Number(x) - Number(y));
    expect(handled).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(seen['a']!.length).toBeGreaterThan(0);
    expect(seen['b']!.length).toBeGreaterThan(0);
  });

  it('NoRespondersError when nobody listens, also after the last group member stopped', async () => {
    const requester = rpc();
    await expect(requester.request('nobody.home', enc('x'), { timeoutMs: 2_000 })).rejects.toBeInstanceOf(NoRespondersError);
    const sub = await rpc().respond('gone.soon', async () => ({ data: enc('ok') }), { queue: 'g' });
    expect(dec((await requester.request('gone.soon', enc('x'))).data)).toBe('ok');
    await sub.stop();
    await expect(requester.request('gone.soon', enc('x'), { timeoutMs: 2_000 })).rejects.toBeInstanceOf(NoRespondersError);
  });

  it('a group whose responders died without stopping expires from the registry', async () => {
    const redis = new Redis(server.url);
    await redis.zadd('hr:rpc:dead.group:groups', Date.now() - 1_000, 'g\nghost');
    await expect(rpc().request('dead.group', enc('x'), { timeoutMs: 2_000 })).rejects.toBeInstanceOf(NoRespondersError);
    expect(await redis.exists('hr:rpc:dead.group:q:g')).toBe(0);
    redis.disconnect();
  });

  it('RequestTimeoutError when the responder is too slow', async () => {
    track(await rpc().respond('slow.one', () => new Promise((r) => setTimeout(() => r({ data: enc('late') }), 500))));
    const err: unknown = await rpc().request('slow.one', enc('x'), { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as RequestTimeoutError).timeoutMs).toBe(100);
  });

  it.each([undefined, 'drainers'])('stop drains the request in hand (queue %s)', async (queue) => {
    let started = false;
    let finished = false;
    const sub = await rpc().respond(
      'drain.me',
      async () => {
        started = true;
        await new Promise((r) => setTimeout(r, 300));
        finished = true;
        return { data: enc('finished') };
      },
      queue === undefined ? {} : { queue },
    );
    const reply = rpc().request('drain.me', enc('x'), { timeoutMs: 3_000 });
    await waitFor(() => started);
    await sub.stop();
    expect(finished).toBe(true);
    expect(dec((await reply).data)).toBe('finished');
  });

  it('a Redis error surfaces as TransportError', async () => {
    const admin = new Redis(server.url);
    await admin.acl('SETUSER', 'nopub', 'on', 'nopass', '~*', '&*', '+@all', '-eval');
    const redis = new Redis(server.url, { username: 'nopub', password: 'x' });
    const r = new RedisRequestReply(redis);
    try {
      const err: unknown = await r.request('any', enc('x')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).message).toMatch(/NOPERM/);
    } finally {
      await r.close();
      redis.disconnect();
      admin.disconnect();
    }
  });
});
