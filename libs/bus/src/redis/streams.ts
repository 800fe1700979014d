/**
 * Streams of the transport port on Redis Streams: one Redis stream per StreamSpec at
 * `hr:stream:<name>`, a per-stream sequence counter at `hr:stream:<name>:seq` (Redis entry ids are
 * not integers), de-duplication keys at `hr:stream:<name>:dedup:<msgId>`, and the specs in the hash
 * `hr:streams` so that a process that did not call ensureStream can still route a publish.
 *
 * Retention: the port declares only `maxAgeMs`, applied as `XTRIM MINID` on every publish (JetStream's
 * limits retention; acks never delete). There is no count or byte limit in StreamSpec to apply.
 */
import { subjectMatches } from '@hotrepos/contracts';
import type { Redis } from 'ioredis';
import { PayloadTooLargeError, TransportError } from '../errors.js';
import type { PublishAck, PublishOptions, StreamSpec } from '../transport.js';

const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;
const SPECS_KEY = 'hr:streams';

export const streamKey = (name: string): string => `hr:stream:${name}`;

/** Header under which the message id travels, as on NATS. */
export const MSG_ID_HEADER = 'Nats-Msg-Id';

// KEYS: stream, seq counter, dedup key. ARGV: subject, data, headers JSON, dedup window ms, max age ms, has msg id.
// Returns {seq, duplicate(0|1)}. TIME is read before any write (allowed with effect replication, Redis >= 5).
const PUBLISH_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hasId = ARGV[6] == '1'
if hasId then
  local seen = redis.call('GET', KEYS[3])
  if seen then return {tonumber(seen), 1} end
end
local seq = redis.call('INCR', KEYS[2])
if hasId then redis.call('SET', KEYS[3], seq, 'NX', 'PX', ARGV[4]) end
redis.call('XADD', KEYS[1], '*', 'seq', seq, 'subject', ARGV[1], 'data', ARGV[2], 'headers', ARGV[3], 'storedAt', now)
local maxAge = tonumber(ARGV[5])
if maxAge > 0 then redis.call('XTRIM', KEYS[1], 'MINID', '~', (now - maxAge) .. '-0') end
return {seq, 0}
`;

export function toTransportError(what: string, err: unknown): Error {
  if (err instanceof TransportError || err instanceof PayloadTooLargeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new TransportError(`redis ${what}: ${message}`, { cause: err });
}

export interface RedisStreamsOptions {
  /** Largest payload accepted by publish, in bytes; NATS's default when absent. */
  readonly maxPayload?: number;
}

export class RedisStreams {
  readonly maxPayload: number;
  readonly #redis: Redis;
  readonly #specs = new Map<string, StreamSpec>();

  constructor(redis: Redis, opts: RedisStreamsOptions = {}) {
    this.#redis = redis;
    this.maxPayload = opts.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  }

  /** Records the spec (idempotent, last writer wins as with a NATS stream update). The stream key itself appears with the first entry or consumer group. */
  async ensureStream(spec: StreamSpec): Promise<void> {
    try {
      await this.#redis.hset(SPECS_KEY, spec.name, JSON.stringify(spec));
      this.#specs.set(spec.name, spec);
    } catch (err) {
      throw toTransportError(`ensure stream ${spec.name}`, err);
    }
  }

  async publish(subject: string, data: Uint8Array, opts: PublishOptions = {}): Promise<PublishAck> {
    if (data.byteLength > this.maxPayload) throw new PayloadTooLargeError(subject, data.byteLength, this.maxPayload);
    try {
      const spec = (await this.#find(subject, false)) ?? (await this.#find(subject, true));
      if (!spec) throw new TransportError(`publish to ${subject} failed: no stream captures this subject`);
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.msgId) headers[MSG_ID_HEADER] = opts.msgId;
      const key = streamKey(spec.name);
      const result = (await this.#redis.eval(
        PUBLISH_SCRIPT,
        3,
        key,
        `${key}:seq`,
        `${key}:dedup:${opts.msgId ?? ''}`,
        subject,
        Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        JSON.stringify(headers),
        spec.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS,
        spec.maxAgeMs ?? 0,
        opts.msgId ? '1' : '0',
      )) as [number, number];
      return { stream: spec.name, seq: Number(result[0]), duplicate: result[1] === 1 };
    } catch (err) {
      throw toTransportError(`publish to ${subject}`, err);
    }
  }

  async #find(subject: string, reload: boolean): Promise<StreamSpec | undefined> {
    if (reload) {
      const all = await this.#redis.hgetall(SPECS_KEY);
      for (const [name, json] of Object.entries(all)) this.#specs.set(name, JSON.parse(json) as StreamSpec);
    }
    return [...this.#specs.values()].find((s) => s.subjects.some((p) => subjectMatches(p, subject)));
  }
}
