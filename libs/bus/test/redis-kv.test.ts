/**
 * The Redis KV bucket against a real redis-server: compare-and-set, key filters, DEL markers, ttl,
 * watches (including one that outlives a Redis restart) and Redis errors surfacing as TransportError.
 */
import { rm } from 'node:fs/promises';
import { startRedisServer, waitFor, type RedisServer } from '@hotrepos/testing';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { CasConflictError, TransportError } from '../src/errors.js';
import { RedisKeyValueStore } from '../src/redis/kv.js';
import type { KvEntry, KvWatch } from '../src/transport.js';
import { bytes } from './fixtures.js';

const str = (v: Uint8Array | undefined) => (v ? new TextDecoder().decode(v) : undefined);

describe('Redis KV bucket', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const server = async (opts: Parameters<typeof startRedisServer>[0] = {}): Promise<RedisServer> => {
    const s = await startRedisServer(opts);
    cleanups.push(() => s.stop());
    return s;
  };
  const client = (url: string, opts: { username?: string; password?: string } = {}): Redis => {
    const r = new Redis(url, { ...opts, enableReadyCheck: opts.username === undefined });
    cleanups.push(() => r.disconnect());
    return r;
  };
  const collect = (watch: KvWatch) => {
    const seen: KvEntry[] = [];
    const done = (async () => {
      for await (const e of watch) seen.push(e);
    })();
    cleanups.push(async () => {
      watch.stop();
      await done;
    });
    return seen;
  };
  const brief = (e: KvEntry) => ({ key: e.key, value: str(e.value), op: e.operation, revision: e.revision });

  it('compare-and-set: create conflicts on a present key, update on a stale revision', async () => {
    const s = await server();
    const kv = await RedisKeyValueStore.open(client(s.url), 'cas', {});
    const r1 = await kv.create('a', bytes('one'));
    await expect(kv.create('a', bytes('again'))).rejects.toBeInstanceOf(CasConflictError);
    const r2 = await kv.update('a', bytes('two'), r1);
    expect(r2).toBeGreaterThan(r1);
    await expect(kv.update('a', bytes('stale'), r1)).rejects.toBeInstanceOf(CasConflictError);
    await expect(kv.update('missing', bytes('x'), r2)).rejects.toBeInstanceOf(CasConflictError);
    const r3 = await kv.put('b', bytes('other'));
    expect(r3).toBe(r2 + 1);
    expect(await kv.get('a')).toEqual({ key: 'a', value: new Uint8Array(bytes('two')), revision: r2, operation: 'PUT' });
    expect(await kv.get('missing')).toBeUndefined();
  });

  it('two clients updating the same revision at once: exactly one wins', async () => {
    const s = await server();
    const a = await RedisKeyValueStore.open(client(s.url), 'race', {});
    const b = await RedisKeyValueStore.open(client(s.url), 'race', {});
    for (let round = 0; round < 20; round++) {
      const rev = await a.put('k', bytes(`base ${round}`));
      const results = await Promise.allSettled([a.update('k', bytes('from a'), rev), b.update('k', bytes('from b'), rev)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost[0]?.status === 'rejected' && lost[0].reason).toBeInstanceOf(CasConflictError);
    }
  });

  it('keys: sorted, filtered with * and >, without deleted keys', async () => {
    const s = await server();
    const kv = await RedisKeyValueStore.open(client(s.url), 'keys', {});
    for (const k of ['report.b', 'report.a', 'report.a.x', 'other', 'gone']) await kv.put(k, bytes(k));
    await kv.delete('gone');
    expect(await kv.keys()).toEqual(['other', 'report.a', 'report.a.x', 'report.b']);
    expect(await kv.keys('report.*')).toEqual(['report.a', 'report.b']);
    expect(await kv.keys('report.>')).toEqual(['report.a', 'report.a.x', 'report.b']);
    expect(await kv.keys('nothing.*')).toEqual([]);
  });

  it('delete leaves a marker: get is undefined, keys() drops it, create works again', async () => {
    const s = await server();
    const kv = await RedisKeyValueStore.open(client(s.url), 'del', {});
    await kv.create('k', bytes('v1'));
    await kv.delete('k');
    expect(await kv.get('k')).toBeUndefined();
    expect(await kv.keys()).toEqual([]);
    const r = await kv.create('k', bytes('v2'));
    expect(str((await kv.get('k'))?.value)).toBe('v2');
    expect((await kv.get('k'))?.revision).toBe(r);
  });

  it('ttl: a key not written for ttlMs reads as absent and leaves keys()', async () => {
    const s = await server();
    const redis = client(s.url);
    const kv = await RedisKeyValueStore.open(redis, 'ttl', { ttlMs: 300 });
    await kv.put('old', bytes('x'));
    await new Promise((r) => setTimeout(r, 150));
    await kv.put('fresh', bytes('y'));
    await waitFor(async () => (await kv.get('old')) === undefined, { what: 'old key to expire' });
    expect(await kv.keys()).toEqual(['fresh']);
    await waitFor(async () => (await kv.get('fresh')) === undefined, { what: 'fresh key to expire' });
    expect(await kv.keys()).toEqual([]);
    // The change stream was trimmed by age too: only the newest entries can remain.
    await kv.put('later', bytes('z'));
    expect(Number(await redis.xlen('hr:kv:ttl:changes'))).toBeLessThan(3);
    expect(await kv.create('old', bytes('again'))).toBeGreaterThan(0);
  });

  it('watch: current values first, then changes, filtered by key pattern, DEL included', async () => {
    const s = await server();
    const kv = await RedisKeyValueStore.open(client(s.url), 'watch', {});
    const rb = await kv.put('report.b', bytes('b0'));
    const ra = await kv.put('report.a', bytes('a0'));
    await kv.put('other', bytes('o0'));
    await kv.put('report.a.deep', bytes('deep'));
    const seen = collect(await kv.watch({ key: 'report.*' }));
    await kv.put('other', bytes('o1'));
    const ra1 = await kv.update('report.a', bytes('a1'), ra);
    await kv.delete('report.b');
    const rc = await kv.create('report.c', bytes('c0'));
    await waitFor(() => seen.length >= 5, { what: 'watch events' });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.map(brief)).toEqual([
      { key: 'report.b', value: 'b0', op: 'PUT', revision: rb },
      { key: 'report.a', value: 'a0', op: 'PUT', revision: ra },
      { key: 'report.a', value: 'a1', op: 'PUT', revision: ra1 },
      { key: 'report.b', value: '', op: 'DEL', revision: ra1 + 1 },
      { key: 'report.c', value: 'c0', op: 'PUT', revision: rc },
    ]);
  });

  it('watch: stop() ends the iteration', async () => {
    const s = await server();
    const kv = await RedisKeyValueStore.open(client(s.url), 'stop', {});
    await kv.put('k', bytes('v'));
    const watch = await kv.watch();
    const seen: KvEntry[] = [];
    const done = (async () => {
      for await (const e of watch) seen.push(e);
    })();
    await waitFor(() => seen.length === 1, { what: 'current value' });
    watch.stop();
    await done;
    await kv.put('k', bytes('after'));
    expect(seen).toHaveLength(1);
  });

  it('watch survives a Redis restart: changes after it arrive, none lost, none doubled', async () => {
    const first = await startRedisServer();
    let current = first;
    // Runs last: the restarted server was given the dir, so it keeps it.
    cleanups.push(() => rm(first.dataDir, { recursive: true, force: true }));
    cleanups.push(() => current.stop());
    const redis = client(first.url);
    const kv = await RedisKeyValueStore.open(redis, 'restart', {});
    await kv.put('k.0', bytes('0'));
    const seen = collect(await kv.watch({ key: 'k.*' }));
    for (let i = 1; i <= 20; i++) await kv.put(`k.${i}`, bytes(String(i)));
    await waitFor(() => seen.length === 21, { what: 'changes before the restart' });

    await first.stop({ keepData: true });
    current = await startRedisServer({ port: first.port, dataDir: first.dataDir });
    for (let i = 21; i <= 40; i++) await kv.put(`k.${i}`, bytes(String(i)));

    await waitFor(() => seen.length >= 41, { what: 'changes after the restart', timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.map((e) => e.key)).toEqual(Array.from({ length: 41 }, (_, i) => `k.${i}`));
    const revisions = seen.map((e) => e.revision);
    expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
  });

  it('Redis refusing a write (OOM) surfaces as TransportError with the Redis message and cause', async () => {
    const s = await server({ args: ['--maxmemory', '1mb', '--maxmemory-policy', 'noeviction'] });
    const kv = await RedisKeyValueStore.open(client(s.url), 'oom', {});
    const big = new Uint8Array(256 * 1024);
    let error: unknown;
    for (let i = 0; i < 50 && error === undefined; i++) {
      try {
        await kv.put(`k${i}`, big);
      } catch (err) {
        error = err;
      }
    }
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toMatch(/OOM/);
    expect((error as TransportError).cause).toBeInstanceOf(Error);
  });

  it('a user without write permission gets TransportError (NOPERM)', async () => {
    const s = await server();
    const admin = client(s.url);
    await admin.call('ACL', 'SETUSER', 'reader', 'on', '>secret', '~*', '+@read', '+@connection');
    const kv = await RedisKeyValueStore.open(client(s.url, { username: 'reader', password: 'secret' }), 'perm', {});
    const err: unknown = await kv.put('k', bytes('v')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/NOPERM/);
    expect((err as Error).cause).toBeInstanceOf(Error);
  });
});

