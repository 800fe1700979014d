/**
 * The typed bus: publish and consume by subject, with every payload checked against its zod
 * contract on both sides, the caller's scope carried in headers, and the failure policy of
 * architecture.md (invalid → dead letter at once; transient → retried with backoff; exhausted
 * or unrecoverable → dead letter).
 */
import { CONTRACT_VERSION, HeaderNames, isSupportedContractVersion, subjectMatches, type ContractMap, type DeadLetterReason, type StreamSpec } from '@hotrepos/contracts';
import { runInScope, type Scope } from '@hotrepos/scope';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { publishDeadLetter } from './dead-letter.js';
import { ContractViolation, PayloadTooLargeError, UnknownSubjectError, UnrecoverableError } from './errors.js';
import { silentLogger, type BusLogger } from './log.js';
import { firstHeader, scopeFromHeaders, scopeHeaders } from './scope-headers.js';
import { SubscriptionSet } from './subscription-set.js';
import type { Delivery, PublishAck, ReceivedHeaders, Subscription, Transport } from './transport.js';

export interface BusOptions<C extends ContractMap> {
  readonly transport: Transport;
  readonly contracts: C;
  /** Names durable consumers and dead letters; replicas of one service share it. */
  readonly service: string;
  /** Provisioned at creation; must include a stream for `dlq.>`. */
  readonly streams: readonly StreamSpec[];
  readonly logger?: BusLogger;
  /** Largest payload accepted on either side; defaults to the broker's limit. */
  readonly maxPayloadBytes?: number;
  /** Called after a message was dead-lettered, e.g. to tell the admins. Failures are logged, not thrown. */
  readonly onDeadLetter?: (event: DeadLetterEvent) => void | Promise<void>;
  readonly now?: () => Date;
}

export interface DeadLetterEvent {
  readonly subject: string;
  readonly reason: DeadLetterReason;
  readonly error: string;
  readonly deliveries: number;
  readonly cause?: unknown;
}

export interface PublishOpts {
  /** De-duplication id (`Nats-Msg-Id`). */
  readonly msgId?: string;
  /** Explicit scope values; each wins over the one inherited from the caller's scope. */
  readonly scope?: Scope;
}

export interface MessageContext {
  readonly subject: string;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
  readonly streamSeq: number;
  /** When the message was published (stored by the broker): the same on every redelivery. */
  readonly publishedAt: Date;
  readonly headers: ReceivedHeaders;
  /** Extends the ack deadline; the bus already does so periodically while the handler runs. */
  working(): void;
}

export interface ConsumeOpts {
  /** Durable consumer name; defaults to `<service>--<subject>`. Replicas with the same name split the work. */
  readonly durable?: string;
  readonly concurrency?: number;
  /** Deliveries before a failing message is dead-lettered. */
  readonly maxDeliver?: number;
  readonly ackWaitMs?: number;
  readonly backoff?: BackoffPolicy;
  /** Unacknowledged messages the broker allows this consumer, all replicas together (its default when absent). */
  readonly maxAckPending?: number;
}

export type Handler<T> = (payload: T, ctx: MessageContext) => Promise<void>;

export interface Bus<C extends ContractMap> {
  readonly transport: Transport;
  readonly maxPayloadBytes: number;
  publish<S extends keyof C & string>(subject: S, payload: z.input<C[S]>, opts?: PublishOpts): Promise<PublishAck>;
  consume<S extends keyof C & string>(subject: S, handler: Handler<z.output<C[S]>>, opts?: ConsumeOpts): Promise<Subscription>;
  /** Stops every consumer this bus started, letting running handlers finish. */
  stop(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

class Rejection extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export async function createBus<C extends ContractMap>(opts: BusOptions<C>): Promise<Bus<C>> {
  const { transport, contracts, service } = opts;
  const log = opts.logger ?? silentLogger;
  const now = opts.now ?? (() => new Date());
  const maxPayloadBytes = Math.min(opts.maxPayloadBytes ?? transport.maxPayload, transport.maxPayload);
  const subscriptions = new SubscriptionSet();

  for (const stream of opts.streams) await transport.ensureStream(stream);

  const schemaFor = (subject: string): z.ZodType => {
    const schema = contracts[subject];
    if (!schema) throw new UnknownSubjectError(subject);
    return schema;
  };

  const decode = (subject: string, delivery: Delivery): unknown => {
    if (delivery.data.byteLength > maxPayloadBytes) {
      throw new Rejection('payload-too-large', new PayloadTooLargeError(subject, delivery.data.byteLength, maxPayloadBytes).message);
    }
    const version = firstHeader(delivery.headers, HeaderNames.ContractVersion);
    if (!isSupportedContractVersion(version)) {
      throw new Rejection('unsupported-contract-version', `${subject}: contract version ${version} is not supported (this service speaks ${CONTRACT_VERSION})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(delivery.data));
    } catch (err) {
      throw new Rejection('invalid-json', `${subject}: payload is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    const parsed = schemaFor(subject).safeParse(json);
    if (!parsed.success) {
      const violation = new ContractViolation(subject, z.prettifyError(parsed.error), { cause: parsed.error });
      throw new Rejection('contract-violation', violation.message, { cause: violation });
    }
    return parsed.data;
  };

  const deadLetter = async (delivery: Delivery, reason: DeadLetterReason, error: string, cause?: unknown) => {
    await publishDeadLetter(transport, { delivery, reason, error, service, now: now() });
    log.warn({ err: cause, subject: delivery.subject, reason, deliveries: delivery.deliveryCount, streamSeq: delivery.streamSeq }, `dead-lettered: ${error}`);
    try {
      await opts.onDeadLetter?.({ subject: delivery.subject, reason, error, deliveries: delivery.deliveryCount, cause });
    } catch (err) {
      log.error({ err, subject: delivery.subject }, 'onDeadLetter hook failed');
    }
  };

  return {
    transport,
    maxPayloadBytes,

    async publish(subject, payload, publishOpts = {}) {
      const parsed = schemaFor(subject).safeParse(payload);
      if (!parsed.success) throw new ContractViolation(subject, z.prettifyError(parsed.error), { cause: parsed.error });
      // The input is sent, not the parsed output: defaults are applied by the consumer, which may know newer ones.
      const data = encoder.encode(JSON.stringify(payload));
      if (data.byteLength > maxPayloadBytes) throw new PayloadTooLargeError(subject, data.byteLength, maxPayloadBytes);
      const headers = { ...scopeHeaders(publishOpts.scope), [HeaderNames.ContractVersion]: CONTRACT_VERSION };
      return transport.publish(subject, data, { headers, ...(publishOpts.msgId ? { msgId: publishOpts.msgId } : {}) });
    },

    async consume(subject, handler, consumeOpts = {}) {
      schemaFor(subject);
      const stream = opts.streams.find((s) => s.subjects.some((p) => subjectMatches(p, subject)));
      if (!stream) throw new UnknownSubjectError(subject);
      const maxDeliver = consumeOpts.maxDeliver ?? 5;
      const ackWaitMs = consumeOpts.ackWaitMs ?? 30_000;
      const backoff = consumeOpts.backoff ?? DEFAULT_BACKOFF;
      const spec = {
        stream: stream.name,
        durable: consumeOpts.durable ?? durableName(service, subject),
        filterSubject: subject,
        ackWaitMs,
        // One more than ours: the bus dead-letters on the last allowed delivery; the server's cap only
        // matters if a handler keeps crashing the process before the bus can act.
        maxDeliver: maxDeliver + 1,
        ...(consumeOpts.maxAckPending === undefined ? {} : { maxAckPending: consumeOpts.maxAckPending }),
      };

      /** Messages whose handler is running; the heartbeat below keeps them. */
      const running = new Set<Delivery>();

      const onDelivery = async (delivery: Delivery): Promise<void> => {
        let payload: unknown;
        try {
          payload = decode(subject, delivery);
        } catch (err) {
          if (!(err instanceof Rejection)) throw err;
          await deadLetter(delivery, err.reason, err.message, err.cause ?? err);
          delivery.ack();
          return;
        }
        if (delivery.deliveryCount > maxDeliver) {
          await deadLetter(delivery, 'max-deliveries', `${subject}: delivered ${delivery.deliveryCount} times without success`);
          delivery.term();
          return;
        }
        running.add(delivery);
        try {
          const ctx: MessageContext = {
            subject: delivery.subject,
            deliveryCount: delivery.deliveryCount,
            streamSeq: delivery.streamSeq,
            publishedAt: delivery.storedAt,
            headers: delivery.headers,
            working: () => delivery.working(),
          };
          // A chain started without a correlation id (a bare `nats pub`) gets one here, so everything this handler publishes shares it.
          const scope = scopeFromHeaders(delivery.headers);
          await runInScope({ ...scope, correlationId: scope.correlationId ?? randomUUID() }, () => handler(payload as z.output<C[typeof subject]>, ctx));
          delivery.ack();
        } catch (err) {
          await onHandlerError(delivery, err);
        } finally {
          running.delete(delivery);
        }
      };

      const onHandlerError = async (delivery: Delivery, err: unknown): Promise<void> => {
        const message = err instanceof Error ? err.message : String(err);
        // A ContractViolation here is the handler publishing something invalid: a bug no retry fixes.
        if (err instanceof UnrecoverableError || err instanceof ContractViolation) {
          await deadLetter(delivery, 'unrecoverable', message, err);
          delivery.term();
          return;
        }
        if (delivery.deliveryCount >= maxDeliver) {
          await deadLetter(delivery, 'max-deliveries', `${subject}: failed ${delivery.deliveryCount} times; last error: ${message}`, err);
          delivery.term();
          return;
        }
        const retryAfter = (err as { retryAfterMs?: unknown }).retryAfterMs;
        const delayMs = typeof retryAfter === 'number' ? retryAfter : backoffDelay(backoff, delivery.deliveryCount);
        log.warn({ err, subject, deliveries: delivery.deliveryCount, retryInMs: delayMs }, 'handler failed; will retry');
        delivery.nak(delayMs);
      };

      const guarded = async (delivery: Delivery) => {
        try {
          await onDelivery(delivery);
        } catch (err) {
          // Dead-lettering itself failed (broker away?): give the message back so nothing is lost.
          log.error({ err, subject, streamSeq: delivery.streamSeq }, 'could not settle message; returning it');
          delivery.nak(backoffDelay(backoff, delivery.deliveryCount));
        }
      };

      // One timer for the whole consumer, not one per message: every running handler's message gets its ack deadline extended.
      const heartbeat = setInterval(() => {
        for (const delivery of running) delivery.working();
      }, Math.max(250, Math.floor(ackWaitMs / 3)));
      heartbeat.unref();
      const sub = await transport.consume(spec, guarded, { concurrency: consumeOpts.concurrency ?? 1 }).catch((err: unknown) => {
        clearInterval(heartbeat);
        throw err;
      });
      return subscriptions.track({
        async stop() {
          await sub.stop();
          clearInterval(heartbeat);
        },
      });
    },

    stop: () => subscriptions.stopAll(),
  };
}

/** Durable names may not contain `.`, `*` or `>`. */
export function durableName(service: string, subject: string): string {
  return `${service}--${subject}`.replace(/[.*>\s]/g, '_');
}

