/**
 * The object store over Redis. An object is its meta hash `hr:obj:<bucket>:meta:<name>` (version,
 * size, digest, chunk count) plus chunk keys `hr:obj:<bucket>:chunk:<name>:<version>:<i>`. A put
 * writes every chunk under a fresh version first, then one Lua script swaps the meta and deletes the
 * old version's chunks, so a reader never sees half an object and a failed put leaves the old one.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TransportError } from '../errors.js';
import type { ObjectInfo, ObjectReadStream, ObjectStore } from '../transport.js';

export const OBJECT_CHUNK_SIZE = 128 * 1024;

// KEYS[1] meta; ARGV: chunk key prefix (without version), version, size, digest, chunks.
const SWAP_SCRIPT = `
local old = redis.call('HMGET', KEYS[1], 'version', 'chunks')
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'size', ARGV[3], 'digest', ARGV[4], 'chunks', ARGV[5])
if old[1] and old[1] ~= ARGV[2] then
  for i = 0, tonumber(old[2]) - 1 do redis.call('DEL', ARGV[1] .. old[1] .. ':' .. i) end
end
return 1
`;

// KEYS[1] meta; ARGV[1] chunk key prefix (without version).
const DELETE_SCRIPT = `
local old = redis.call('HMGET', KEYS[1], 'version', 'chunks')
if old[1] then
  for i = 0, tonumber(old[2]) - 1 do redis.call('DEL', ARGV[1] .. old[1] .. ':' .. i) end
end
redis.call('DEL', KEYS[1])
return 1
`;

interface Meta {
  readonly info: ObjectInfo;
  readonly version: string;
  readonly chunks: number;
}

function digestOf(hash: ReturnType<typeof createHash>): string {
  return `SHA-256=${hash.digest('base64url')}`;
}

export class RedisObjectStore implements ObjectStore {
  constructor(
    readonly bucket: string,
    private readonly redis: Redis,
  ) {}

  private metaKey(name: string): string {
    return `hr:obj:${this.bucket}:meta:${name}`;
  }

  private chunkPrefix(name: string): string {
    return `hr:obj:${this.bucket}:chunk:${name}:`;
  }

  private error(op: string, name: string, err: unknown): TransportError {
    if (err instanceof TransportError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new TransportError(`redis object store ${this.bucket}/${name} ${op}: ${message}`, { cause: err });
  }

  async put(name: string, data: Uint8Array): Promise<ObjectInfo> {
    const version = randomUUID();
    const prefix = this.chunkPrefix(name) + version + ':';
    const chunks = Math.ceil(data.length / OBJECT_CHUNK_SIZE);
    const info: ObjectInfo = { name, size: data.length, digest: digestOf(createHash('sha256').update(data)) };
    try {
      for (let i = 0; i < chunks; i += 8) {
        const pipeline = this.redis.pipeline();
        for (let j = i; j < Math.min(chunks, i + 8); j++) {
          pipeline.set(prefix + j, Buffer.from(data.buffer, data.byteOffset + j * OBJECT_CHUNK_SIZE, Math.min(OBJECT_CHUNK_SIZE, data.length - j * OBJECT_CHUNK_SIZE)));
        }
        const results = (await pipeline.exec()) ?? [];
        const failed = results.find(([err]) => err);
        if (failed) throw failed[0];
      }
      await this.redis.eval(SWAP_SCRIPT, 1, this.metaKey(name), this.chunkPrefix(name), version, info.size, info.digest, chunks);
      return info;
    } catch (err) {
      // The meta still names the old version: drop whatever chunks of the new one were written.
      const keys = Array.from({ length: chunks }, (_, i) => prefix + i);
      if (keys.length > 0) await this.redis.del(...keys).catch(() => undefined);
      throw this.error('put', name, err);
    }
  }

  private async meta(name: string): Promise<Meta | undefined> {
    let raw: Record<string, string>;
    try {
      raw = await this.redis.hgetall(this.metaKey(name));
    } catch (err) {
      throw this.error('info', name, err);
    }
    const { version, size, digest, chunks } = raw;
    if (version === undefined || size === undefined || digest === undefined || chunks === undefined) return undefined;
    return { info: { name, size: Number(size), digest }, version, chunks: Number(chunks) };
  }

  async info(name: string): Promise<ObjectInfo | undefined> {
    return (await this.meta(name))?.info;
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    const opened = await this.open(name);
    if (!opened) return undefined;
    const out = new Uint8Array(opened.info.size);
    let offset = 0;
    const reader = opened.stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (offset + value.length > out.length) {
        await reader.cancel();
        throw this.error('get', name, new Error('object is larger than its recorded size'));
      }
      out.set(value, offset);
      offset += value.length;
    }
    return out;
  }

  /** Reads one chunk per pull; a chunk gone (the object replaced meanwhile) or a digest mismatch errors the stream. */
  async open(name: string): Promise<ObjectReadStream | undefined> {
    const meta = await this.meta(name);
    if (!meta) return undefined;
    const prefix = this.chunkPrefix(name) + meta.version + ':';
    const hash = createHash('sha256');
    let index = 0;
    let size = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (index >= meta.chunks) {
          const digest = digestOf(hash);
          if (digest !== meta.info.digest || size !== meta.info.size) {
            controller.error(this.error('read', name, new Error(`digest mismatch: expected ${meta.info.digest}, read ${digest} (${size} bytes)`)));
          } else controller.close();
          return;
        }
        let chunk: Buffer | null;
        try {
          chunk = await this.redis.getBuffer(prefix + index);
        } catch (err) {
          controller.error(this.error('read', name, err));
          return;
        }
        if (chunk === null) {
          controller.error(this.error('read', name, new Error(`chunk ${index} is missing (replaced or deleted while read)`)));
          return;
        }
        index++;
        size += chunk.length;
        hash.update(chunk);
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      },
    });
    return { info: meta.info, stream };
  }

  async delete(name: string): Promise<void> {
    try {
      await this.redis.eval(DELETE_SCRIPT, 1, this.metaKey(name), this.chunkPrefix(name));
    } catch (err) {
      throw this.error('delete', name, err);
    }
  }
}
