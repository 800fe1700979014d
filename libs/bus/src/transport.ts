/**
 * The transport port: everything a service needs from a broker, and nothing NATS-specific.
 * Services and the typed bus code against this; `nats/` is the real adapter, `memory/` the
 * embedded one for one-process runs with no broker.
 */
import type { StreamSpec } from '@hotrepos/contracts';

/** Headers as they arrive: NATS headers may repeat a name. */
export type ReceivedHeaders = Readonly<Record<string, readonly string[]>>;

export type { StreamSpec };

export interface ConsumerSpec {
  readonly stream: string;
  /** Durable name: every consumer with the same name shares one position (competing consumers). */
  readonly durable: string;
  readonly filterSubject: string;
  /** Time a delivered message may stay unacknowledged before the broker delivers it again. */
  readonly ackWaitMs: number;
  /** Broker-side cap on deliveries; the typed bus dead-letters before it is reached. */
  readonly maxDeliver: number;
  /**
   * Broker-side cap on messages delivered and not yet acknowledged, across every replica (NATS's
   * default, 1,000, when absent). The memory adapter has no such cap beyond each consumer's concurrency.
   */
  readonly maxAckPending?: number;
}

export interface PublishOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** De-duplication id: a second publish with the same id within the stream's window is dropped. */
  readonly msgId?: string;
}

export interface PublishAck {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
}

export interface Delivery {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: ReceivedHeaders;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  readonly stream: string;
  readonly streamSeq: number;
  readonly consumer: string;
  /** When the broker stored the message: the same on every redelivery. */
  readonly storedAt: Date;
  ack(): void;
  /** Gives the message back for redelivery after `delayMs` (at once without it). */
  nak(delayMs?: number): void;
  /** Never deliver this message again. */
  term(): void;
  /** Extends the ack deadline of a long handler. */
  working(): void;
}

export interface ConsumeOptions {
  /** Handlers running at once in this process for this consumer. */
  readonly concurrency: number;
}

export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface Subscription {
  /** Stops taking messages, lets running handlers finish, returns buffered ones unacknowledged. */
  stop(): Promise<void>;
}

export interface RequestMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: ReceivedHeaders;
}

export interface Reply {
  readonly data: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export interface RespondOptions {
  /** Queue group: responders in the same group split the requests. */
  readonly queue?: string;
}

export interface KvEntry {
  readonly key: string;
  readonly value: Uint8Array;
  readonly revision: number;
  readonly operation: 'PUT' | 'DEL' | 'PURGE';
}

export interface KvWatch extends AsyncIterable<KvEntry> {
  stop(): void;
}

export interface KeyValueStore {
  readonly bucket: string;
  get(key: string): Promise<KvEntry | undefined>;
  put(key: string, value: Uint8Array): Promise<number>;
  /** Writes only if the key does not exist; throws `CasConflictError` otherwise. */
  create(key: string, value: Uint8Array): Promise<number>;
  /** Writes only if the key is still at `revision`; throws `CasConflictError` otherwise. */
  update(key: string, value: Uint8Array, revision: number): Promise<number>;
  delete(key: string): Promise<void>;
  /** Keys that exist now, sorted; `filter` may use `*` and `>`. */
  keys(filter?: string): Promise<string[]>;
  /** Current values of the matching keys, then every later change. `key` may use `*` and `>`. */
  watch(opts?: { key?: string }): Promise<KvWatch>;
}

export interface KeyValueOptions {
  readonly history?: number;
  readonly ttlMs?: number;
}

export interface ObjectInfo {
  readonly name: string;
  readonly size: number;
  /** `SHA-256=<base64url>` as the NATS object store records it. */
  readonly digest: string;
}

/** An object opened for reading: its info, and its bytes as they arrive. */
export interface ObjectReadStream {
  readonly info: ObjectInfo;
  /** Errors when the bytes do not match `info.digest` (checked at the end); cancel it to stop early. */
  readonly stream: ReadableStream<Uint8Array>;
}

export interface ObjectStore {
  readonly bucket: string;
  put(name: string, data: Uint8Array): Promise<ObjectInfo>;
  get(name: string): Promise<Uint8Array | undefined>;
  /** Streams the object instead of holding it in memory; undefined when there is none. */
  open(name: string): Promise<ObjectReadStream | undefined>;
  info(name: string): Promise<ObjectInfo | undefined>;
  delete(name: string): Promise<void>;
}

/** Whether a transport can serve now; `reason` says why not. */
export interface Readiness {
  readonly ok: boolean;
  readonly reason?: string;
}

export interface Transport {
  readonly kind: 'nats' | 'memory';
  /** Whether the broker is reachable now and has these streams. Never throws: a failure is `{ ok: false, reason }`. */
  ready(streams: readonly string[]): Promise<Readiness>;
  /** Creates the stream, or updates its subjects and limits; safe to call from every replica at start-up. */
  ensureStream(spec: StreamSpec): Promise<void>;
  /** Creates the durable consumer, or updates it; safe to call from every replica at start-up. */
  ensureConsumer(spec: ConsumerSpec): Promise<void>;
  publish(subject: string, data: Uint8Array, opts?: PublishOptions): Promise<PublishAck>;
  consume(spec: ConsumerSpec, handler: DeliveryHandler, opts: ConsumeOptions): Promise<Subscription>;
  request(subject: string, data: Uint8Array, opts?: RequestOptions): Promise<RequestMessage>;
  respond(subject: string, handler: (msg: RequestMessage) => Promise<Reply>, opts?: RespondOptions): Promise<Subscription>;
  keyValue(bucket: string, opts?: KeyValueOptions): Promise<KeyValueStore>;
  objectStore(bucket: string): Promise<ObjectStore>;
  /** Largest message the broker accepts, in bytes. */
  readonly maxPayload: number;
  /** Stops every subscription (draining) and closes the connection. */
  close(): Promise<void>;
}
