/**
 * The in-process adapter: the embedded default for a one-process run with no broker. It keeps
 * JetStream's semantics that services depend on (durable positions, competing consumers,
 * redelivery, de-duplication, KV revisions) in memory; nothing survives the process.
 */
import { NoRespondersError, RequestTimeoutError, TransportError } from '../errors.js';
import { silentLogger, type BusLogger } from '../log.js';
import { subjectMatches } from '@hotrepos/contracts';
import { SubscriptionSet } from '../subscription-set.js';
import type {
  ConsumeOptions,
  ConsumerSpec,
  DeliveryHandler,
  KeyValueStore,
  ObjectStore,
  PublishAck,
  PublishOptions,
  Readiness,
  Reply,
  RequestMessage,
  RequestOptions,
  RespondOptions,
  StreamSpec,
  Subscription,
  Transport,
} from '../transport.js';
import { MemoryConsumer } from './consumer.js';
import { MemoryKeyValueStore } from './kv.js';
import { MemoryObjectStore } from './object-store.js';
import { MemoryStream } from './stream.js';

export interface MemoryTransportOptions {
  readonly logger?: BusLogger;
  /** Same default as nats-server's `max_payload`. */
  readonly maxPayload?: number;
  readonly now?: () => number;
}

interface Responder {
  readonly subject: string;
  readonly queue: string | undefined;
  readonly handler: (msg: RequestMessage) => Promise<Reply>;
}

export class MemoryTransport implements Transport {
  readonly kind = 'memory';
  readonly maxPayload: number;
  readonly #log: BusLogger;
  readonly #now: () => number;
  readonly #streams = new Map<string, MemoryStream>();
  readonly #consumers = new Map<string, MemoryConsumer>();
  readonly #kv = new Map<string, MemoryKeyValueStore>();
  readonly #objects = new Map<string, MemoryObjectStore>();
  readonly #responders: Responder[] = [];
  readonly #subscriptions = new SubscriptionSet();
  #closed = false;

  constructor(opts: MemoryTransportOptions = {}) {
    this.#log = opts.logger ?? silentLogger;
    this.maxPayload = opts.maxPayload ?? 1024 * 1024;
    this.#now = opts.now ?? Date.now;
  }

  ready(streams: readonly string[]): Promise<Readiness> {
    if (this.#closed) return Promise.resolve({ ok: false, reason: 'the transport is closed' });
    const missing = streams.filter((name) => !this.#streams.has(name));
    return Promise.resolve(missing.length === 0 ? { ok: true } : { ok: false, reason: `missing streams: ${missing.join(', ')}` });
  }

  ensureStream(spec: StreamSpec): Promise<void> {
    const existing = this.#streams.get(spec.name);
    if (existing) existing.update(spec);
    else this.#streams.set(spec.name, new MemoryStream(spec));
    return Promise.resolve();
  }

  ensureConsumer(spec: ConsumerSpec): Promise<void> {
    this.#consumer(spec);
    return Promise.resolve();
  }

  publish(subject: string, data: Uint8Array, opts: PublishOptions = {}): Promise<PublishAck> {
    this.#assertOpen();
    if (data.byteLength > this.maxPayload) return Promise.reject(new TransportError(`publish to ${subject} failed: maximum payload exceeded`));
    const stream = [...this.#streams.values()].find((s) => s.captures(subject));
    if (!stream) return Promise.reject(new TransportError(`publish to ${subject} failed: no stream captures this subject`));
    const ack = stream.append(subject, data, opts.headers ?? {}, opts.msgId, this.#now());
    if (!ack.duplicate) for (const c of this.#consumers.values()) c.pump();
    return Promise.resolve(ack);
  }

  consume(spec: ConsumerSpec, handler: DeliveryHandler, opts: ConsumeOptions): Promise<Subscription> {
    this.#assertOpen();
    return Promise.resolve(this.#subscriptions.track(this.#consumer(spec).subscribe(handler, opts.concurrency)));
  }

  async request(subject: string, data: Uint8Array, opts: RequestOptions = {}): Promise<RequestMessage> {
    this.#assertOpen();
    const timeoutMs = opts.timeoutMs ?? 5_000;
    const responder = this.#responders.find((r) => subjectMatches(r.subject, subject));
    if (!responder) throw new NoRespondersError(subject);
    const headers = Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k, [v]]));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RequestTimeoutError(subject, timeoutMs)), timeoutMs);
    });
    try {
      const reply = await Promise.race([responder.handler({ subject, data: data.slice(), headers }), timeout]);
      const replyHeaders = Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k, [v]]));
      return { subject, data: reply.data, headers: replyHeaders };
    } finally {
      clearTimeout(timer);
    }
  }

  respond(subject: string, handler: (msg: RequestMessage) => Promise<Reply>, opts: RespondOptions = {}): Promise<Subscription> {
    this.#assertOpen();
    const responder: Responder = { subject, queue: opts.queue, handler };
    this.#responders.push(responder);
    return Promise.resolve(
      this.#subscriptions.track({
        stop: () => {
          const index = this.#responders.indexOf(responder);
          if (index >= 0) this.#responders.splice(index, 1);
          return Promise.resolve();
        },
      }),
    );
  }

  keyValue(bucket: string): Promise<KeyValueStore> {
    let kv = this.#kv.get(bucket);
    if (!kv) this.#kv.set(bucket, (kv = new MemoryKeyValueStore(bucket)));
    return Promise.resolve(kv);
  }

  objectStore(bucket: string): Promise<ObjectStore> {
    let os = this.#objects.get(bucket);
    if (!os) this.#objects.set(bucket, (os = new MemoryObjectStore(bucket)));
    return Promise.resolve(os);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#subscriptions.stopAll();
    for (const c of this.#consumers.values()) c.close();
    for (const kv of this.#kv.values()) kv.close();
  }

  #consumer(spec: ConsumerSpec): MemoryConsumer {
    const key = `${spec.stream}/${spec.durable}`;
    const existing = this.#consumers.get(key);
    if (existing) {
      existing.update(spec);
      return existing;
    }
    const stream = this.#streams.get(spec.stream);
    if (!stream) throw new TransportError(`stream ${spec.stream} not found`);
    const consumer = new MemoryConsumer(spec, stream, this.#log);
    this.#consumers.set(key, consumer);
    return consumer;
  }

  #assertOpen(): void {
    if (this.#closed) throw new TransportError('transport is closed');
  }
}
