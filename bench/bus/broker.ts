/**
 * Stream and consumer settings shared by both variants, spelled the way the typed bus's NATS
 * transport spells them (libs/bus/src/nats/transport.ts), so the raw variant differs only in
 * the layer above.
 */
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { STREAM, SUBJECT } from './contract.js';

/** Handlers in flight, which is also the pull batch (`max_messages`) in both variants. */
export const CONCURRENCY = 64;
/** The bus's default ack wait. */
export const ACK_WAIT_MS = 30_000;
/** What the bus asks of the server for its default of 5 deliveries (it dead-letters on the last one itself). */
const MAX_DELIVER = 6;
/** The bus transport's pull expiry. */
export const PULL_EXPIRES_MS = 5_000;

/** Drops the stream with everything in it and its consumers, so one variant never sees another's messages. */
export async function resetStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.delete(STREAM);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
  }
  await jsm.streams.add({
    name: STREAM,
    subjects: ['bench.>'],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: 1,
  });
}

export function consumerConfig(durable: string): Partial<ConsumerConfig> {
  return {
    durable_name: durable,
    filter_subject: SUBJECT,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(ACK_WAIT_MS),
    max_deliver: MAX_DELIVER,
  };
}
