/**
 * The NATS JetStream adapter of the transport port. Streams, durable pull consumers, KV buckets
 * and object stores are provisioned idempotently, so every replica can start in any order.
 * Works against nats-server 2.9 (Debian) and current 2.11/2.12: it uses one filter subject per
 * consumer, `nak(delay)` instead of `backoff` arrays, and no per-message TTLs.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { connect, nanos, RequestError, TimeoutError, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { NoRespondersError, RequestTimeoutError, TransportError } from '../errors.js';
import { silentLogger, type BusLogger } from '../log.js';
import { SubscriptionSet } from '../subscription-set.js';
import type {
  ConsumeOptions,
  ConsumerSpec,
  DeliveryHandler,
  KeyValueOptions,
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
import { isNotFound } from './errors.js';
import { fromNatsHeaders, toNatsHeaders } from './headers.js';
import { NatsKeyValueStore } from './kv.js';
import { NatsObjectStoreAdapter } from './object-store.js';
import { runConsumerLoop } from './consumer-loop.js';

const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
// Short-lived pulls: a stopping consumer waits out the one in progress (see consumer-loop.ts).
const PULL_EXPIRES_MS = 2_000;

export interface NatsTransportOptions {
  readonly servers: string | string[];
  /** Connection name shown by `nats server report connections`. */
  readonly name?: string;
  readonly logger?: BusLogger;
  /** Stream replicas when running on a cluster; 1 on a single server. */
  readonly replicas?: number;
  readonly connectOptions?: Partial<NodeConnectionOptions>;
}

export class NatsTransport implements Transport {
  readonly kind = 'nats';
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #log: BusLogger;
  readonly #replicas: number;
  readonly #subscriptions = new SubscriptionSet();
  readonly #kv = new Map<string, Promise<KeyValueStore>>();
  readonly #objects = new Map<string, Promise<ObjectStore>>();

  private constructor(nc: NatsConnection, jsm: JetStreamManager, log: BusLogger, replicas: number) {
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = jetstream(nc);
    this.#log = log;
    this.#replicas = replicas;
    void this.#watchConnection();
  }

  static async connect(opts: NatsTransportOptions): Promise<NatsTransport> {
    const log = opts.logger ?? silentLogger;
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: opts.servers,
        name: opts.name,
        // A service outlives broker restarts: keep trying instead of giving up after 10 attempts.
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        // nats.js builds two stack-capturing errors per request (every JetStream publish) for async traces;
        // the bus wraps failures in its own errors with their own stacks, so these only cost time.
        noAsyncTraces: true,
        ...opts.connectOptions,
      });
    } catch (err) {
      throw new TransportError(`cannot connect to NATS at ${String(opts.servers)}: ${(err as Error).message}`, { cause: err });
    }
    const jsm = await jetstreamManager(nc).catch(async (err: unknown) => {
      await nc.close();
      throw new TransportError(`JetStream is not enabled on ${String(opts.servers)} (start nats-server with -js)`, { cause: err });
    });
    return new NatsTransport(nc, jsm, log, opts.replicas ?? 1);
  }

  /** The raw connection, for tools that need JetStream beyond the port (the CLI browses and trims the DLQ stream). */
  get connection(): NatsConnection {
    return this.#nc;
  }

  get maxPayload(): number {
    return this.#nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  }

  async #watchConnection(): Promise<void> {
    for await (const s of this.#nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect' || s.type === 'error') this.#log.warn({ status: s.type, server: 'server' in s ? s.server : undefined }, `nats ${s.type}`);
    }
  }

  async ready(streams: readonly string[]): Promise<Readiness> {
    if (this.#nc.isClosed()) return { ok: false, reason: 'the NATS connection is closed' };
    try {
      // Rejects at once while disconnected (reconnecting), instead of waiting for the server to come back.
      await this.#nc.rtt();
    } catch (err) {
      return { ok: false, reason: `NATS is not reachable: ${(err as Error).message}` };
    }
    const missing: string[] = [];
    for (const name of streams) {
      try {
        await this.#jsm.streams.info(name);
      } catch (err) {
        if (!isNotFound(err)) return { ok: false, reason: `stream ${name}: ${(err as Error).message}` };
        missing.push(name);
      }
    }
    return missing.length === 0 ? { ok: true } : { ok: false, reason: `missing streams: ${missing.join(', ')}` };
  }

  async ensureStream(spec: StreamSpec): Promise<void> {
    const config = {
      name: spec.name,
      subjects: [...spec.subjects],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: this.#replicas,
      ...(spec.maxAgeMs ? { max_age: nanos(spec.maxAgeMs) } : {}),
      ...(spec.duplicateWindowMs ? { duplicate_window: nanos(spec.duplicateWindowMs) } : {}),
    };
    try {
      await this.#jsm.streams.info(spec.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.#jsm.streams.add(config);
        return;
      } catch (addErr) {
        // Another replica may have created it between our look and our add; anything else is a real error.
        if (!(await this.#jsm.streams.info(spec.name).then(() => true, () => false))) throw addErr;
      }
    }
    await this.#jsm.streams.update(spec.name, config);
  }

  async ensureConsumer(spec: ConsumerSpec): Promise<void> {
    const config = {
      durable_name: spec.durable,
      filter_subject: spec.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(spec.ackWaitMs),
      max_deliver: spec.maxDeliver,
      ...(spec.maxAckPending === undefined ? {} : { max_ack_pending: spec.maxAckPending }),
    };
    try {
      await this.#jsm.consumers.info(spec.stream, spec.durable);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await this.#jsm.consumers.add(spec.stream, config);
        return;
      } catch (addErr) {
        if (!(await this.#jsm.consumers.info(spec.stream, spec.durable).then(() => true, () => false))) throw addErr;
      }
    }
    const { ack_wait, max_deliver, max_ack_pending } = config;
    await this.#jsm.consumers.update(spec.stream, spec.durable, { ack_wait, max_deliver, ...(max_ack_pending === undefined ? {} : { max_ack_pending }) });
  }

  async publish(subject: string, data: Uint8Array, opts: PublishOptions = {}): Promise<PublishAck> {
    try {
      const ack = await this.#js.publish(subject, data, {
        headers: toNatsHeaders(opts.headers),
        ...(opts.msgId ? { msgID: opts.msgId } : {}),
      });
      return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
    } catch (err) {
      throw new TransportError(`publish to ${subject} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async consume(spec: ConsumerSpec, handler: DeliveryHandler, opts: ConsumeOptions): Promise<Subscription> {
    await this.ensureConsumer(spec);
    const consumer = await this.#js.consumers.get(spec.stream, spec.durable);
    return this.#subscriptions.track(
      runConsumerLoop(consumer, handler, { concurrency: Math.max(1, opts.concurrency), pullExpiresMs: PULL_EXPIRES_MS, log: this.#log }),
    );
  }

  async request(subject: string, data: Uint8Array, opts: RequestOptions = {}): Promise<RequestMessage> {
    const timeoutMs = opts.timeoutMs ?? 5_000;
    try {
      const m = await this.#nc.request(subject, data, { timeout: timeoutMs, headers: toNatsHeaders(opts.headers) });
      return { subject: m.subject, data: m.data, headers: fromNatsHeaders(m.headers) };
    } catch (err) {
      if (err instanceof RequestError && err.isNoResponders()) throw new NoRespondersError(subject, { cause: err });
      if (err instanceof TimeoutError || (err as Error).cause instanceof TimeoutError) throw new RequestTimeoutError(subject, timeoutMs, { cause: err });
      throw new TransportError(`request on ${subject} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async respond(subject: string, handler: (msg: RequestMessage) => Promise<Reply>, opts: RespondOptions = {}): Promise<Subscription> {
    const sub = this.#nc.subscribe(subject, opts.queue ? { queue: opts.queue } : {});
    const running = new Set<Promise<void>>();
    const loop = (async () => {
      for await (const m of sub) {
        const task: Promise<void> = handler({ subject: m.subject, data: m.data, headers: fromNatsHeaders(m.headers) })
          .then((reply) => {
            m.respond(reply.data, { headers: toNatsHeaders(reply.headers) });
          })
          .catch((err: unknown) => this.#log.error({ err, subject }, 'responder failed'))
          .finally(() => running.delete(task));
        running.add(task);
      }
    })();
    await this.#nc.flush();
    return this.#subscriptions.track({
      async stop() {
        await sub.drain();
        await loop;
        await Promise.all(running);
      },
    });
  }

  keyValue(bucket: string, opts: KeyValueOptions = {}): Promise<KeyValueStore> {
    let store = this.#kv.get(bucket);
    if (!store) {
      store = new Kvm(this.#js)
        .create(bucket, {
          history: opts.history ?? 1,
          replicas: this.#replicas,
          ...(opts.ttlMs ? { ttl: opts.ttlMs } : {}),
        })
        .then((kv) => new NatsKeyValueStore(bucket, kv));
      this.#kv.set(bucket, store);
      store.catch(() => this.#kv.delete(bucket));
    }
    return store;
  }

  objectStore(bucket: string): Promise<ObjectStore> {
    let store = this.#objects.get(bucket);
    if (!store) {
      store = new Objm(this.#js).create(bucket, { replicas: this.#replicas }).then((os) => new NatsObjectStoreAdapter(bucket, os));
      this.#objects.set(bucket, store);
      store.catch(() => this.#objects.delete(bucket));
    }
    return store;
  }

  async close(): Promise<void> {
    await this.#subscriptions.stopAll();
    if (this.#nc.isClosed()) return;
    try {
      await this.#nc.drain();
    } catch (err) {
      // Drain rejects when a request cut off by an earlier reconnect is still on the books; closing is what matters.
      this.#log.warn({ err }, 'nats drain failed; closing');
      if (!this.#nc.isClosed()) await this.#nc.close();
    }
  }

}
