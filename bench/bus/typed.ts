/** The typed bus on its NATS transport, with the defaults a service would get. */
import { createBus, NatsTransport } from '@hotrepos/bus';
import { ACK_WAIT_MS, CONCURRENCY } from './broker.js';
import { benchContracts, benchStreams, SUBJECT } from './contract.js';
import type { Variant } from './load.js';

export const typedVariant: Variant = async (url, received) => {
  // Publisher and consumer on their own connections, as two services would be.
  const producer = await createBus({
    transport: await NatsTransport.connect({ servers: url, name: 'bench-typed-producer' }),
    contracts: benchContracts,
    streams: benchStreams,
    service: 'bench-producer',
  });
  const consumer = await createBus({
    transport: await NatsTransport.connect({ servers: url, name: 'bench-typed-consumer' }),
    contracts: benchContracts,
    streams: benchStreams,
    service: 'bench',
  });
  await consumer.consume(SUBJECT, async (message) => received(message), { concurrency: CONCURRENCY, ackWaitMs: ACK_WAIT_MS });

  return {
    async send(message) {
      await producer.publish(SUBJECT, message);
    },
    async close() {
      await consumer.stop();
      await Promise.all([producer.transport.close(), consumer.transport.close()]);
    },
  };
};
