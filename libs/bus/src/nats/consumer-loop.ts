import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { BusLogger } from '../log.js';
import type { Delivery, DeliveryHandler, Subscription } from '../transport.js';
import { fromNatsHeaders } from './headers.js';

function toDelivery(m: JsMsg): Delivery {
  return {
    subject: m.subject,
    data: m.data,
    headers: fromNatsHeaders(m.headers),
    deliveryCount: m.info.deliveryCount,
    stream: m.info.stream,
    streamSeq: m.info.streamSequence,
    consumer: m.info.consumer,
    ack: () => m.ack(),
    nak: (delayMs) => m.nak(delayMs),
    term: () => m.term(),
    working: () => m.working(),
  };
}

/**
 * Runs up to `concurrency` handlers at once over a pull consumer's messages. On stop it pulls no
 * more, gives back what was buffered but not started (nak, so another replica takes it at once),
 * and waits for running handlers: in-flight work finishes, nothing is dropped.
 */
export function runConsumerLoop(messages: ConsumerMessages, handler: DeliveryHandler, concurrency: number, log: BusLogger): Subscription {
  const running = new Set<Promise<void>>();
  let stopping = false;

  const start = (m: JsMsg) => {
    const task: Promise<void> = handler(toDelivery(m))
      .catch((err: unknown) => log.error({ err, subject: m.subject }, 'delivery handler failed'))
      .finally(() => running.delete(task));
    running.add(task);
  };

  const loop = (async () => {
    for await (const m of messages) {
      while (running.size >= concurrency && !stopping) await Promise.race(running);
      if (stopping) {
        m.nak();
        continue;
      }
      start(m);
    }
  })().catch((err: unknown) => {
    // The iterator ends with the error of a pull that a broker restart cut off; when stopping, that is expected.
    if (!stopping) log.error({ err }, 'consumer stopped unexpectedly');
    else log.debug({ err }, 'consumer ended with an error while stopping');
  });

  void (async () => {
    for await (const s of messages.status()) {
      if (s.type === 'heartbeats_missed' || s.type === 'consumer_not_found' || s.type === 'consumer_deleted' || s.type === 'stream_not_found') {
        log.warn({ status: s }, 'consumer status');
      }
    }
  })().catch(() => undefined);

  return {
    async stop() {
      stopping = true;
      // Closing asks the server to end the pull; after a reconnect that request can fail, which changes nothing here.
      const closed = await messages.close();
      if (closed instanceof Error) log.debug({ err: closed }, 'consumer close reported an error');
      await loop;
      await Promise.all(running);
    },
  };
}
