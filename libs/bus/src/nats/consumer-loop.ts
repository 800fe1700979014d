import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
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
    storedAt: m.time,
    ack: () => m.ack(),
    nak: (delayMs) => m.nak(delayMs),
    term: () => m.term(),
    working: () => m.working(),
  };
}

export interface ConsumerLoopOptions {
  readonly concurrency: number;
  /** How long one pull waits on the server for messages before it is renewed. */
  readonly pullExpiresMs: number;
  readonly log: BusLogger;
}

/**
 * Runs up to `concurrency` handlers at once, pulling only as many messages as there are free
 * handler slots. Nothing waits in a client-side buffer, where no heartbeat could reach it: a
 * message is either on the server or in a handler (whose heartbeats keep it), so a slow handler
 * never lets queued messages time out and be delivered again.
 *
 * On stop it pulls no more, gives back anything that arrives for the pull in progress until that
 * pull expires (nak, so another replica takes it at once), and waits for running handlers: nothing
 * is dropped or left waiting out an ack wait.
 */
export function runConsumerLoop(consumer: Consumer, handler: DeliveryHandler, { concurrency, pullExpiresMs, log }: ConsumerLoopOptions): Subscription {
  const running = new Set<Promise<void>>();
  let stopping = false;

  // The handler's failures are caught inside, so the `.then` below never sees a rejection; even a
  // handler that throws synchronously ends up there, as a rejection of this async function.
  const run = async (m: JsMsg) => {
    try {
      await handler(toDelivery(m));
    } catch (err) {
      log.error({ err, subject: m.subject }, 'delivery handler failed');
    }
  };
  const start = (m: JsMsg) => {
    const task: Promise<void> = run(m).then(() => void running.delete(task));
    running.add(task);
  };

  const loop = (async () => {
    while (!stopping) {
      if (running.size >= concurrency) {
        await Promise.race(running);
        continue;
      }
      try {
        const batch: ConsumerMessages = await consumer.fetch({ max_messages: concurrency - running.size, expires: pullExpiresMs });
        for await (const m of batch) {
          if (stopping) m.nak();
          else start(m);
        }
      } catch (err) {
        if (stopping) break;
        // A pull cut off by a broker restart or a missing consumer: say so, then pull again after a pause.
        log.warn({ err }, 'pull failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      // The pull in progress is left to expire rather than closed: the server (2.9) would go on
      // delivering to a closed pull, and those messages would come back only after the ack wait.
      // Waiting at most one pull expiry, everything that arrives meanwhile is given back at once.
      await loop;
      await Promise.all(running);
    },
  };
}
