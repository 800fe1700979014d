/**
 * What the conformance suite needs from an adapter: a fresh broker per test and connections to it.
 * Competing consumers and restarts use separate connections on NATS (as separate processes
 * would) and the one shared transport in memory (where the process is the broker).
 */
import { startNatsServer, type NatsServer } from '@hotrepos/testing';
import { MemoryTransport, NatsTransport, type Transport } from '../src/index.js';

export interface Broker {
  /** A new connection (NATS) or the shared transport (memory). */
  connect(): Promise<Transport>;
  close(): Promise<void>;
}

export interface AdapterUnderTest {
  readonly name: 'nats' | 'memory';
  start(opts?: { maxPayload?: number }): Promise<Broker>;
}

export const natsAdapter: AdapterUnderTest = {
  name: 'nats',
  async start(opts = {}) {
    const server: NatsServer = await startNatsServer(opts.maxPayload ? { args: ['--max_payload', String(opts.maxPayload)] } : {});
    const open: Transport[] = [];
    return {
      async connect() {
        const t = await NatsTransport.connect({ servers: server.url, name: 'conformance' });
        open.push(t);
        return t;
      },
      async close() {
        await Promise.all(open.map((t) => t.close().catch(() => undefined)));
        await server.stop();
      },
    };
  },
};

export const memoryAdapter: AdapterUnderTest = {
  name: 'memory',
  start(opts = {}) {
    const transport = new MemoryTransport(opts.maxPayload ? { maxPayload: opts.maxPayload } : {});
    return Promise.resolve({
      connect: () => Promise.resolve(transport),
      close: () => transport.close(),
    });
  },
};
