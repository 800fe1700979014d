/**
 * A KV bucket on Redis with the semantics of the NATS adapter: one revision sequence per bucket,
 * compare-and-set writes, DEL markers, and watches that miss no change across a reconnect because
 * they read a durable per-bucket change stream rather than keyspace notifications.
 *
 * `history` is accepted and not stored: the port has no way to read an older value, so only the
 * latest value per key is kept (the change stream carries earlier ones to watchers).
 */
import { createHash } from 'node:crypto';
import { subjectMatches } from '@hotrepos/contracts';
import type { Redis } from 'ioredis';
import { CasConflictError, TransportError } from '../errors.js';
import { AsyncQueue } from '../memory/async-queue.js';
import type { KeyValueOptions, KeyValueStore, KvEntry, KvWatch } from '../transport.js';
import { KEYS_SCRIPT, SNAPSHOT_SCRIPT, WRITE_SCRIPT } from './kv-scripts.js';

/** Changes kept in a bucket's change stream when it has no ttl to trim by (approximate, `MAXLEN ~`). */
const MAX_CHANGES = 100_000;
/** How long one XREAD blocks before the watch looks again whether it was stopped. */
const BLOCK_MS = 1_000;
const RETRY_MS = 200;

type WriteMode = 'put' | 'create' | 'update';

function toTransportError(bucket: string, err: unknown): Error {
  if (err instanceof CasConflictError || err instanceof TransportError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new TransportError(`redis kv ${bucket}: ${message}`, { cause: err });
}

class LuaScript {
  readonly #sha: string;
  constructor(readonly source: string) {
    this.#sha = createHash('sha1').update(source).digest('hex');
  }

  /** EVALSHA, falling back to EVAL once when the server does not have the script (e.g. after a restart). */
  async run(redis: Redis, keys: readonly string[], args: readonly (string | Buffer | number)[]): Promise<unknown> {
    try {
      return await redis.callBuffer('EVALSHA', this.#sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.callBuffer('EVAL', this.source, keys.length, ...keys, ...args);
    }
  }
}

const write = new LuaScript(WRITE_SCRIPT);
const listKeys = new LuaScript(KEYS_SCRIPT);
const snapshot = new LuaScript(SNAPSHOT_SCRIPT);

function text(v: unknown): string {
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

function bytesOf(v: unknown): Uint8Array {
  return Buffer.isBuffer(v) ? new Uint8Array(v) : new Uint8Array();
}

export class RedisKeyValueStore implements KeyValueStore {
  readonly #prefix: string;
  readonly #ttlMs: number;

  private constructor(
    private readonly redis: Redis,
    readonly bucket: string,
    opts: KeyValueOptions,
  ) {
    this.#prefix = `hr:kv:${bucket}:`;
    this.#ttlMs = opts.ttlMs ?? 0;
  }

  /** Nothing to provision: the bucket's keys appear with its first write. */
  static open(redis: Redis, bucket: string, opts: KeyValueOptions = {}): Promise<RedisKeyValueStore> {
    return Promise.resolve(new RedisKeyValueStore(redis, bucket, opts));
  }

  async get(key: string): Promise<KvEntry | undefined> {
    try {
      const [value, revision, op] = (await this.redis.callBuffer('HMGET', this.#valueKey(key), 'value', 'revision', 'op')) as unknown[];
      if (op === null || op === undefined || text(op) !== 'PUT') return undefined;
      return { key, value: bytesOf(value), revision: Number(text(revision)), operation: 'PUT' };
    } catch (err) {
      throw toTransportError(this.bucket, err);
    }
  }

  put(key: string, value: Uint8Array): Promise<number> {
    return this.#write('put', 'PUT', key, value, 0);
  }

  create(key: string, value: Uint8Array): Promise<number> {
    return this.#write('create', 'PUT', key, value, 0);
  }

  update(key: string, value: Uint8Array, revision: number): Promise<number> {
    return this.#write('update', 'PUT', key, value, revision);
  }

  async delete(key: string): Promise<void> {
    await this.#write('put', 'DEL', key, new Uint8Array(), 0);
  }

  async keys(filter = '>'): Promise<string[]> {
    try {
      const keys = (await listKeys.run(this.redis, [this.#key('keys')], [this.#key('v:')])) as unknown[];
      return keys
        .map(text)
        .filter((k) => subjectMatches(filter, k))
        .sort();
    } catch (err) {
      throw toTransportError(this.bucket, err);
    }
  }

  async watch(opts: { key?: string } = {}): Promise<KvWatch> {
    const filter = opts.key ?? '>';
    let snap: unknown[];
    try {
      snap = (await snapshot.run(this.redis, [this.#key('keys'), this.#key('changes')], [this.#key('v:')])) as unknown[];
    } catch (err) {
      throw toTransportError(this.bucket, err);
    }
    const queue = new AsyncQueue<KvEntry>();
    const current: KvEntry[] = [];
    for (let i = 1; i + 2 < snap.length; i += 3) {
      const key = text(snap[i]);
      if (subjectMatches(filter, key)) current.push({ key, value: bytesOf(snap[i + 1]), revision: Number(text(snap[i + 2])), operation: 'PUT' });
    }
    for (const e of current.sort((a, b) => a.revision - b.revision)) queue.push(e);
    // A connection of its own: XREAD BLOCK holds it, and stop() closes it to end a blocked read.
    // A read cut by a disconnect fails instead of being resent, so #follow alone decides where to resume.
    const reader = this.redis.duplicate({ maxRetriesPerRequest: null, autoResendUnfulfilledCommands: false });
    let stopped = false;
    void this.#follow(reader, text(snap[0]), filter, queue, () => stopped);
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        queue.end();
        reader.disconnect();
      },
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    };
  }

  /** Reads the change stream after `lastId` until stopped; after a failed read it goes on from the last id it read. */
  async #follow(reader: Redis, lastId: string, filter: string, queue: AsyncQueue<KvEntry>, stopped: () => boolean): Promise<void> {
    const stream = this.#key('changes');
    while (!stopped()) {
      let reply: unknown;
      try {
        reply = await reader.callBuffer('XREAD', 'COUNT', 100, 'BLOCK', BLOCK_MS, 'STREAMS', stream, lastId);
      } catch {
        if (stopped()) return;
        // The connection dropped (ioredis reconnects by itself); read again from where we were.
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      if (!Array.isArray(reply)) continue;
      for (const [, entries] of reply as [unknown, [Buffer, Buffer[]][]][]) {
        for (const [id, fields] of entries) {
          lastId = text(id);
          const f = new Map<string, Buffer>();
          for (let i = 0; i + 1 < fields.length; i += 2) f.set(text(fields[i]), fields[i + 1]!);
          const key = text(f.get('key'));
          if (stopped()) return;
          if (!subjectMatches(filter, key)) continue;
          const op = text(f.get('op')) === 'DEL' ? 'DEL' : 'PUT';
          queue.push({ key, value: bytesOf(f.get('value')), revision: Number(text(f.get('revision'))), operation: op });
        }
      }
    }
  }

  async #write(mode: WriteMode, op: 'PUT' | 'DEL', key: string, value: Uint8Array, expected: number): Promise<number> {
    let rev: unknown;
    try {
      rev = await write.run(
        this.redis,
        [this.#key('rev'), this.#valueKey(key), this.#key('keys'), this.#key('changes')],
        [mode, op, expected, Buffer.from(value), key, this.#ttlMs, MAX_CHANGES],
      );
    } catch (err) {
      throw toTransportError(this.bucket, err);
    }
    if (rev === -1) throw new CasConflictError(this.bucket, key);
    return Number(rev);
  }

  #key(suffix: string): string {
    return this.#prefix + suffix;
  }

  #valueKey(key: string): string {
    return this.#key(`v:${key}`);
  }
}
