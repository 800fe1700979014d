/**
 * Durable consumers of the transport port on Redis Streams: one consumer group per durable
 * (created at `0`, JetStream's DeliverPolicy.All as the NATS adapter uses), one consumer name per
 * consume() call inside it. The pending entries list (PEL) holds what is delivered and not acked,
 * and its delivery counter is the port's deliveryCount.
 *
 * - A nak with a delay leaves the entry pending and records its due time in the sorted set
 *   `hr:stream:<name>:delayed:<group>`; any replica claims it when due, so it survives this process.
 * - An entry idle in the PEL longer than ackWaitMs (its consumer died or hung) is taken over with
 *   XAUTOCLAIM, unless it is waiting out a nak delay.
 * - Entries whose subject does not match the filter are acknowledged for this group and skipped.
 * - Stop drains: no more reads, running handlers finish, and entries read but not started are
 *   released through the delayed set at once (another replica takes them without waiting out ackWait).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { subjectMatches } from '@hotrepos/contracts';
import type { Redis } from 'ioredis';
import type { BusLogger } from '../log.js';
import { silentLogger } from '../log.js';
import type { ConsumeOptions, ConsumerSpec, Delivery, DeliveryHandler, Subscription } from '../transport.js';
import { streamKey, toTransportError } from './streams.js';

const DEFAULT_BLOCK_MS = 500;
const RETRY_MS = 500;

type RawEntry = [Buffer, Buffer[]];

interface Entry {
  readonly id: string;
  readonly fields: Map<string, Buffer>;
}

export const delayedKey = (stream: string, group: string): string => `${streamKey(stream)}:delayed:${group}`;

function toEntry([id, flat]: RawEntry): Entry {
  const fields = new Map<string, Buffer>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set((flat[i] as Buffer).toString('utf8'), flat[i + 1] as Buffer);
  return { id: id.toString('utf8'), fields };
}

export interface RedisConsumerOptions {
  readonly logger?: BusLogger;
  /** How long one XREADGROUP blocks; also how often due naks and stale entries are looked for. */
  readonly blockMs?: number;
}

export class RedisConsumers {
  readonly #redis: Redis;
  readonly #log: BusLogger;
  readonly #blockMs: number;

  constructor(redis: Redis, opts: RedisConsumerOptions = {}) {
    this.#redis = redis;
    this.#log = opts.logger ?? silentLogger;
    this.#blockMs = opts.blockMs ?? DEFAULT_BLOCK_MS;
  }

  async ensureConsumer(spec: ConsumerSpec): Promise<void> {
    try {
      await this.#redis.xgroup('CREATE', streamKey(spec.stream), spec.durable, '0', 'MKSTREAM');
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('BUSYGROUP')) return;
      throw toTransportError(`ensure consumer ${spec.stream}/${spec.durable}`, err);
    }
  }

  async consume(spec: ConsumerSpec, handler: DeliveryHandler, opts: ConsumeOptions): Promise<Subscription> {
    await this.ensureConsumer(spec);
    const blocking = this.#redis.duplicate();
    const loop = new ConsumerLoop(this.#redis, blocking, spec, handler, Math.max(1, opts.concurrency), this.#blockMs, this.#log);
    return { stop: () => loop.stop() };
  }
}

class ConsumerLoop {
  readonly #name = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly #key: string;
  readonly #delayed: string;
  readonly #running = new Set<Promise<void>>();
  /** Acks, naks and the like still on their way to Redis: stop waits for them. */
  readonly #settling = new Set<Promise<unknown>>();
  readonly #done: Promise<void>;
  #stopping = false;
  #lastAutoclaim = 0;

  constructor(
    private readonly redis: Redis,
    private readonly blocking: Redis,
    private readonly spec: ConsumerSpec,
    private readonly handler: DeliveryHandler,
    private readonly concurrency: number,
    private readonly blockMs: number,
    private readonly log: BusLogger,
  ) {
    this.#key = streamKey(spec.stream);
    this.#delayed = delayedKey(spec.stream, spec.durable);
    this.#done = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#done;
    await Promise.all(this.#running);
    await Promise.all(this.#settling);
    this.blocking.disconnect();
    await this.#forgetName();
  }

  /** Consumer names are per process: drop this one from the group unless it still owns entries (a nak waiting out its delay). */
  async #forgetName(): Promise<void> {
    try {
      const owned = await this.redis.xpending(this.#key, this.spec.durable, '-', '+', 1, this.#name);
      if (owned.length === 0) await this.redis.xgroup('DELCONSUMER', this.#key, this.spec.durable, this.#name);
    } catch (err) {
      this.log.warn({ err: toTransportError(`forget consumer ${this.#name}`, err) }, 'could not remove the consumer name');
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const free = this.concurrency - this.#running.size;
      if (free <= 0) {
        await Promise.race(this.#running);
        continue;
      }
      try {
        const claimed = await this.#claim(free);
        if (claimed.length > 0) {
          await this.#dispatch(claimed);
          continue;
        }
        const res = (await this.blocking.xreadgroupBuffer('GROUP', this.spec.durable, this.#name, 'COUNT', free, 'BLOCK', this.blockMs, 'STREAMS', this.#key, '>')) as
          | [Buffer, RawEntry[]][]
          | null;
        const entries = (res?.[0]?.[1] ?? []).map(toEntry);
        await this.#dispatch(entries.map((e) => ({ entry: e, count: 1 })));
      } catch (err) {
        if (this.#stopping) break;
        this.log.warn({ err: toTransportError(`consume ${this.spec.stream}/${this.spec.durable}`, err) }, 'redis read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  /** Due naks first, then (at most every ackWait/2) entries idle longer than ackWait; each claim counts as a delivery. */
  async #claim(max: number): Promise<{ entry: Entry; count: number }[]> {
    const now = Date.now();
    const ids: string[] = [];
    const due = await this.redis.zrangebyscore(this.#delayed, '-inf', now, 'LIMIT', 0, max);
    for (const id of due) if ((await this.redis.zrem(this.#delayed, id)) === 1) ids.push(id);
    if (ids.length < max && now - this.#lastAutoclaim >= this.spec.ackWaitMs / 2) {
      this.#lastAutoclaim = now;
      // JUSTID leaves the delivery counter alone, so an entry still waiting out a nak delay is not counted.
      const [, stale] = (await this.redis.xautoclaim(this.#key, this.spec.durable, this.#name, this.spec.ackWaitMs, '0', 'COUNT', max - ids.length, 'JUSTID')) as [string, string[]];
      for (const id of stale) {
        const dueAt = await this.redis.zscore(this.#delayed, id);
        if (dueAt === null || Number(dueAt) <= now) ids.push(id);
      }
    }
    if (ids.length === 0) return [];
    const raw = (await this.redis.callBuffer('XCLAIM', this.#key, this.spec.durable, this.#name, 0, ...ids)) as (RawEntry | null)[];
    const out: { entry: Entry; count: number }[] = [];
    for (const r of raw) {
      if (!r) continue;
      const entry = toEntry(r);
      const pending = (await this.redis.xpending(this.#key, this.spec.durable, entry.id, entry.id, 1)) as [string, string, number, number][];
      out.push({ entry, count: Number(pending[0]?.[3] ?? 1) });
    }
    // Ids claimed whose entry was trimmed away: nothing to deliver, drop them from the PEL.
    const gone = ids.filter((id) => !out.some((o) => o.entry.id === id));
    if (gone.length > 0) await this.redis.xack(this.#key, this.spec.durable, ...gone);
    return out;
  }

  async #dispatch(batch: { entry: Entry; count: number }[]): Promise<void> {
    for (const { entry, count } of batch) {
      const subject = entry.fields.get('subject')?.toString('utf8') ?? '';
      if (!subjectMatches(this.spec.filterSubject, subject)) {
        await this.redis.xack(this.#key, this.spec.durable, entry.id);
        continue;
      }
      if (count > this.spec.maxDeliver) {
        this.log.warn({ stream: this.spec.stream, consumer: this.spec.durable, id: entry.id }, 'max deliveries reached');
        await this.#settle(entry.id);
        continue;
      }
      if (this.#stopping) {
        await this.redis.zadd(this.#delayed, Date.now(), entry.id);
        continue;
      }
      this.#start(this.#toDelivery(entry, subject, count));
    }
  }

  #start(delivery: Delivery): void {
    const task: Promise<void> = this.handler(delivery)
      .catch((err: unknown) => this.log.error({ err, subject: delivery.subject }, 'delivery handler failed'))
      .finally(() => this.#running.delete(task));
    this.#running.add(task);
  }

  #toDelivery(entry: Entry, subject: string, count: number): Delivery {
    const headers = JSON.parse(entry.fields.get('headers')?.toString('utf8') ?? '{}') as Record<string, string>;
    const id = entry.id;
    const send = (what: string, op: () => Promise<unknown>) => {
      const p: Promise<unknown> = op()
        .catch((err: unknown) => this.log.error({ err: toTransportError(`${what} ${this.spec.stream}`, err), id }, `${what} failed`))
        .finally(() => this.#settling.delete(p));
      this.#settling.add(p);
    };
    return {
      subject,
      data: new Uint8Array(entry.fields.get('data') ?? Buffer.alloc(0)),
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      deliveryCount: count,
      stream: this.spec.stream,
      streamSeq: Number(entry.fields.get('seq')?.toString('utf8') ?? 0),
      consumer: this.spec.durable,
      storedAt: new Date(Number(entry.fields.get('storedAt')?.toString('utf8') ?? 0)),
      ack: () => send('ack', () => this.#settle(id)),
      term: () => send('term', () => this.#settle(id)),
      nak: (delayMs) => send('nak', () => this.redis.zadd(this.#delayed, Date.now() + Math.max(0, delayMs ?? 0), id)),
      working: () => send('working', () => this.redis.xclaim(this.#key, this.spec.durable, this.#name, 0, id, 'JUSTID')),
    };
  }

  async #settle(id: string): Promise<void> {
    await this.redis.multi().xack(this.#key, this.spec.durable, id).zrem(this.#delayed, id).exec();
  }
}
