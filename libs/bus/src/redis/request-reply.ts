/**
 * Request/reply over Redis, which has pub/sub but no queue groups. A responder without a queue
 * subscribes to `hr:rpc:<subject>`; responders sharing a queue group BLPOP one list
 * `hr:rpc:<subject>:q:<queue>`, each on its own connection, and keep a heartbeated entry in the
 * registry `hr:rpc:<subject>:groups` (a sorted set scored by expiry on the Redis clock). One Lua
 * script drops expired entries, pushes the request once to every live group's list and publishes it
 * on the channel, so "nobody got it" is exact: NoRespondersError. Replies are published on
 * `hr:rpc:reply:<client>.<id>`, which the requester's single pattern subscription already covers.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { NoRespondersError, RequestTimeoutError, TransportError } from '../errors.js';
import type { ReceivedHeaders, Reply, RequestMessage, RequestOptions, RespondOptions, Subscription } from '../transport.js';

const DEFAULT_TIMEOUT_MS = 5_000;
/** How long a group member counts as live after its last heartbeat. */
const MEMBER_TTL_MS = 6_000;
const HEARTBEAT_MS = 2_000;
/** BLPOP's block, in seconds: also how long `stop()` may wait for the blocked pop to return. */
const POP_BLOCK_S = 0.5;

// KEYS[1] registry, KEYS[2] channel; ARGV[1] list prefix, ARGV[2] payload, ARGV[3] list ttl ms.
const DISPATCH_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local seen = {}
local groups = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local queue = string.match(member, '^(.*)\\n[^\\n]*$')
  if queue and not seen[queue] then
    seen[queue] = true
    groups = groups + 1
    local list = ARGV[1] .. queue
    redis.call('RPUSH', list, ARGV[2])
    redis.call('PEXPIRE', list, ARGV[3])
  end
end
return groups + redis.call('PUBLISH', KEYS[2], ARGV[2])
`;

// KEYS[1] registry; ARGV[1] member, ARGV[2] ttl ms.
const HEARTBEAT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

interface Envelope {
  readonly replyTo: string;
  readonly data: string;
  readonly headers: Readonly<Record<string, string>>;
}

interface ReplyEnvelope {
  readonly data: string;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Pending {
  resolve(reply: RequestMessage): void;
}

export interface RedisRequestReplyOptions {
  /** Called when a handler throws or a reply cannot be sent; the request then goes unanswered. */
  readonly onError?: (err: unknown, subject: string) => void;
}

function transportError(what: string, err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  return new TransportError(`redis ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

function toReceived(headers: Readonly<Record<string, string>> | undefined): ReceivedHeaders {
  const out: Record<string, readonly string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k] = [v];
  return out;
}

const b64 = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.length).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

export class RedisRequestReply {
  readonly #redis: Redis;
  readonly #onError: (err: unknown, subject: string) => void;
  readonly #client = randomUUID();
  readonly #pending = new Map<string, Pending>();
  #replies: Promise<Redis> | undefined;

  constructor(redis: Redis, opts: RedisRequestReplyOptions = {}) {
    this.#redis = redis;
    this.#onError = opts.onError ?? (() => undefined);
  }

  async request(subject: string, data: Uint8Array, opts: RequestOptions = {}): Promise<RequestMessage> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    await this.#replyListener();
    const id = randomUUID();
    const replyTo = `hr:rpc:reply:${this.#client}.${id}`;
    const envelope: Envelope = { replyTo, data: b64(data), headers: opts.headers ?? {} };
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<RequestMessage>((resolve, reject) => {
      this.#pending.set(replyTo, { resolve });
      timer = setTimeout(() => reject(new RequestTimeoutError(subject, timeoutMs)), timeoutMs);
    });
    reply.catch(() => undefined);
    try {
      let delivered: number;
      try {
        delivered = Number(
          await this.#redis.eval(DISPATCH_SCRIPT, 2, `hr:rpc:${subject}:groups`, `hr:rpc:${subject}`, `hr:rpc:${subject}:q:`, JSON.stringify(envelope), Math.max(timeoutMs, MEMBER_TTL_MS) * 2),
        );
      } catch (err) {
        throw transportError(`request on ${subject}`, err);
      }
      if (delivered === 0) throw new NoRespondersError(subject);
      return await reply;
    } finally {
      clearTimeout(timer);
      this.#pending.delete(replyTo);
    }
  }

  /** One pattern subscription per instance, made before the first request so no reply can beat it. */
  #replyListener(): Promise<Redis> {
    this.#replies ??= (async () => {
      const sub = this.#redis.duplicate();
      sub.on('pmessage', (_pattern: string, channel: string, message: string) => {
        const pending = this.#pending.get(channel);
        if (!pending) return;
        try {
          const r = JSON.parse(message) as ReplyEnvelope;
          pending.resolve({ subject: channel, data: unb64(r.data), headers: toReceived(r.headers) });
        } catch (err) {
          this.#onError(err, channel);
        }
      });
      try {
        await sub.psubscribe(`hr:rpc:reply:${this.#client}.*`);
      } catch (err) {
        sub.disconnect();
        this.#replies = undefined;
        throw transportError('reply subscription', err);
      }
      return sub;
    })();
    return this.#replies;
  }

  async respond(subject: string, handler: (msg: RequestMessage) => Promise<Reply>, opts: RespondOptions = {}): Promise<Subscription> {
    const running = new Set<Promise<void>>();
    const handle = (raw: string) => {
      const task = (async () => {
        const env = JSON.parse(raw) as Envelope;
        const reply = await handler({ subject, data: unb64(env.data), headers: toReceived(env.headers) });
        const out: ReplyEnvelope = { data: b64(reply.data), ...(reply.headers ? { headers: reply.headers } : {}) };
        await this.#redis.publish(env.replyTo, JSON.stringify(out));
      })()
        .catch((err: unknown) => this.#onError(err, subject))
        .finally(() => running.delete(task));
      running.add(task);
    };
    return opts.queue === undefined ? this.#respondAll(subject, handle, running) : this.#respondQueue(subject, opts.queue, handle, running);
  }

  async #respondAll(subject: string, handle: (raw: string) => void, running: Set<Promise<void>>): Promise<Subscription> {
    const sub = this.#redis.duplicate();
    sub.on('message', (_channel: string, message: string) => handle(message));
    try {
      await sub.subscribe(`hr:rpc:${subject}`);
    } catch (err) {
      sub.disconnect();
      throw transportError(`respond on ${subject}`, err);
    }
    return {
      async stop() {
        await sub.unsubscribe().catch(() => undefined);
        await Promise.all(running);
        sub.disconnect();
      },
    };
  }

  async #respondQueue(subject: string, queue: string, handle: (raw: string) => void, running: Set<Promise<void>>): Promise<Subscription> {
    const registry = `hr:rpc:${subject}:groups`;
    const member = `${queue}\n${randomUUID()}`;
    const list = `hr:rpc:${subject}:q:${queue}`;
    const beat = () => this.#redis.eval(HEARTBEAT_SCRIPT, 1, registry, member, MEMBER_TTL_MS);
    try {
      await beat();
    } catch (err) {
      throw transportError(`respond on ${subject} (queue ${queue})`, err);
    }
    const heartbeat = setInterval(() => void beat().catch((err: unknown) => this.#onError(transportError('heartbeat', err), subject)), HEARTBEAT_MS);
    const conn = this.#redis.duplicate();
    let stopping = false;
    const loop = (async () => {
      while (!stopping) {
        try {
          const popped = await conn.blpop(list, POP_BLOCK_S);
          if (popped) handle(popped[1]);
        } catch (err) {
          if (stopping) return;
          this.#onError(transportError(`pop on ${list}`, err), subject);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    })();
    return {
      stop: async () => {
        stopping = true;
        clearInterval(heartbeat);
        await this.#redis.zrem(registry, member).catch(() => undefined);
        // Not disconnected while blocked: a request popped in that moment would be lost.
        await loop;
        await Promise.all(running);
        conn.disconnect();
      },
    };
  }

  /** Ends the reply subscription; subscriptions returned by `respond` are stopped by their owners. */
  async close(): Promise<void> {
    const replies = this.#replies;
    this.#replies = undefined;
    if (replies) (await replies.catch(() => undefined))?.disconnect();
  }
}
