import type { KV, KvEntry as NatsKvEntry } from '@nats-io/kv';
import { CasConflictError } from '../errors.js';
import type { KeyValueStore, KvEntry, KvWatch } from '../transport.js';
import { isWrongLastSequence } from './errors.js';

function toEntry(e: NatsKvEntry): KvEntry {
  return { key: e.key, value: e.value, revision: e.revision, operation: e.operation };
}

export class NatsKeyValueStore implements KeyValueStore {
  constructor(
    readonly bucket: string,
    private readonly kv: KV,
  ) {}

  async get(key: string): Promise<KvEntry | undefined> {
    const e = await this.kv.get(key);
    return e && e.operation === 'PUT' ? toEntry(e) : undefined;
  }

  put(key: string, value: Uint8Array): Promise<number> {
    return this.kv.put(key, value);
  }

  async create(key: string, value: Uint8Array): Promise<number> {
    try {
      return await this.kv.create(key, value);
    } catch (err) {
      if (isWrongLastSequence(err)) throw new CasConflictError(this.bucket, key, { cause: err });
      throw err;
    }
  }

  async update(key: string, value: Uint8Array, revision: number): Promise<number> {
    try {
      return await this.kv.update(key, value, revision);
    } catch (err) {
      if (isWrongLastSequence(err)) throw new CasConflictError(this.bucket, key, { cause: err });
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(key);
  }

  async keys(filter = '>'): Promise<string[]> {
    const out: string[] = [];
    for await (const k of await this.kv.keys(filter)) out.push(k);
    return out.sort();
  }

  async watch(opts: { key?: string } = {}): Promise<KvWatch> {
    const iter = await this.kv.watch({ key: opts.key ?? '>' });
    return {
      stop: () => iter.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const e of iter) yield toEntry(e);
      },
    };
  }
}
