/**
 * The baseline: plain `@nats-io/jetstream` with the same stream, consumer and pull settings as
 * the typed bus, manual ack, and nothing else — no validation, no headers, no scope.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { consumerConfig, CONCURRENCY, PULL_EXPIRES_MS } from './broker.js';
import { STREAM, SUBJECT, type BenchMessage } from './contract.js';
import type { Variant } from './load.js';

const DURABLE = 'bench-raw';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const rawVariant: Variant = async (url, received) => {
  // Publisher and consumer on their own connections, as two services would be.
  const producer = await connect({ servers: url, name: 'bench-raw-producer' });
  const consumer = await connect({ servers: url, name: 'bench-raw-consumer' });
  const js = jetstream(producer);

  await (await jetstreamManager(consumer)).consumers.add(STREAM, consumerConfig(DURABLE));
  const messages = await jetstream(consumer).consumers.get(STREAM, DURABLE).then((c) => c.consume({ max_messages: CONCURRENCY, expires: PULL_EXPIRES_MS }));
  const loop = (async () => {
    for await (const m of messages) {
      received(JSON.parse(decoder.decode(m.data)) as BenchMessage);
      m.ack();
    }
  })();

  return {
    async send(message) {
      await js.publish(SUBJECT, encoder.encode(JSON.stringify(message)));
    },
    async close() {
      await messages.close();
      await loop;
      await Promise.all([producer.drain(), consumer.drain()]);
    },
  };
};
