/**
 * The Redis object store against a real redis-server: a large round trip with the digest NATS
 * would record, streaming, corruption detected, no chunk keys left behind, Redis errors as TransportError.
 */
import { createHash } from 'node:crypto';
import { startRedisServer, type RedisServer } from '@hotrepos/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../src/errors.js';
import { OBJECT_CHUNK_SIZE, RedisObjectStore } from '../src/redis/object-store.js';

const natsDigest = (data: Uint8Array) => `SHA-256=${createHash('sha256').update(data).digest('base64url')}`;

function randomBytes(size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ data: Uint8Array; chunks: number }> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return { data: new Uint8Array(Buffer.concat(parts)), chunks: parts.length };
}

describe('Redis object store', () => {
  let server: RedisServer;
  let redis: Redis;
  let other: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    other = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    other.disconnect();
    await server.stop();
  });

  const keysUnder = async (prefix: string): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await other.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    return found.sort();
  };

  it('round-trips 5 MB with the digest NATS would record, and streams it chunk by chunk', async () => {
    const store = new RedisObjectStore('big', redis);
    const data = randomBytes(5 * 1024 * 1024);
    const info = await store.put('blob', data);
    expect(info).toEqual({ name: 'blob', size: data.length, digest: natsDigest(data) });
    expect(await store.info('blob')).toEqual(info);
    expect(Buffer.from((await store.get('blob'))!).equals(Buffer.from(data))).toBe(true);

    const opened = (await store.open('blob'))!;
    expect(opened.info).toEqual(info);
    const read = await readAll(opened.stream);
    expect(read.chunks).toBe(Math.ceil(data.length / OBJECT_CHUNK_SIZE));
    expect(Buffer.from(read.data).equals(Buffer.from(data))).toBe(true);

    expect(await store.get('missing')).toBeUndefined();
    expect(await store.open('missing')).toBeUndefined();
    expect(await store.info('missing')).toBeUndefined();
  });

  it('an empty object round-trips', async () => {
    const store = new RedisObjectStore('empty', redis);
    const info = await store.put('nothing', new Uint8Array());
    expect(info.digest).toBe(natsDigest(new Uint8Array()));
    expect(await store.get('nothing')).toEqual(new Uint8Array());
  });

  it('a chunk overwritten behind its back errors the stream at the end', async () => {
    const store = new RedisObjectStore('corrupt', redis);
    const data = randomBytes(3 * OBJECT_CHUNK_SIZE + 10);
    await store.put('x', data);
    const [chunk] = await keysUnder('hr:obj:corrupt:chunk:x:');
    const original = (await other.getBuffer(chunk!))!;
    const tampered = Buffer.from(original);
    tampered[0] = tampered[0]! ^ 0xff;
    await other.set(chunk!, tampered);
    const opened = (await store.open('x'))!;
    await expect(readAll(opened.stream)).rejects.toBeInstanceOf(TransportError);
    await expect(store.get('x')).rejects.toThrow(/digest mismatch/);
  });

  it('a stream can be cancelled part way', async () => {
    const store = new RedisObjectStore('cancel', redis);
    await store.put('x', randomBytes(4 * OBJECT_CHUNK_SIZE));
    const reader = (await store.open('x'))!.stream.getReader();
    const first = await reader.read();
    expect(first.value?.length).toBe(OBJECT_CHUNK_SIZE);
    await reader.cancel();
  });

  it('replace and delete leave no chunk keys behind', async () => {
    const store = new RedisObjectStore('tidy', redis);
    await store.put('x', randomBytes(5 * OBJECT_CHUNK_SIZE));
    expect(await keysUnder('hr:obj:tidy:chunk:')).toHaveLength(5);
    const smaller = randomBytes(2 * OBJECT_CHUNK_SIZE + 1);
    await store.put('x', smaller);
    const chunks = await keysUnder('hr:obj:tidy:chunk:');
    expect(chunks).toHaveLength(3);
    expect(new Set(chunks.map((k) => k.split(':').slice(0, -1).join(':'))).size).toBe(1);
    expect(Buffer.from((await store.get('x'))!).equals(Buffer.from(smaller))).toBe(true);
    await store.delete('x');
    expect(await keysUnder('hr:obj:tidy:')).toEqual([]);
    expect(await store.info('x')).toBeUndefined();
    await store.delete('x');
  });

  it('a put that fails at the swap leaves the old object and removes the chunks it wrote (NOPERM)', async () => {
    await other.acl('SETUSER', 'noeval', 'on', 'nopass', '~*', '&*', '+@all', '-eval', '-evalsha');
    const limited = new Redis(server.url, { username: 'noeval', password: 'x', enableReadyCheck: false });
    try {
      const old = randomBytes(OBJECT_CHUNK_SIZE + 5);
      await new RedisObjectStore('swapfail', redis).put('x', old);
      const err: unknown = await new RedisObjectStore('swapfail', limited).put('x', randomBytes(3 * OBJECT_CHUNK_SIZE)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).message).toMatch(/NOPERM/);
      const store = new RedisObjectStore('swapfail', redis);
      expect(Buffer.from((await store.get('x'))!).equals(Buffer.from(old))).toBe(true);
      expect(await keysUnder('hr:obj:swapfail:chunk:')).toHaveLength(2);
    } finally {
      limited.disconnect();
    }
  });

  it('a failed put leaves the old object and no new chunks; Redis errors surface as TransportError', async () => {
    const store = new RedisObjectStore('fail', redis);
    const old = randomBytes(OBJECT_CHUNK_SIZE + 5);
    await store.put('x', old);
    await other.config('SET', 'maxmemory', '1');
    try {
      const err: unknown = await store.put('x', randomBytes(4 * OBJECT_CHUNK_SIZE)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).message).toMatch(/OOM/);
      expect((err as TransportError).cause).toBeDefined();
    } finally {
      await other.config('SET', 'maxmemory', '0');
    }
    expect(Buffer.from((await store.get('x'))!).equals(Buffer.from(old))).toBe(true);
    expect(await keysUnder('hr:obj:fail:chunk:')).toHaveLength(2);
  });
});
