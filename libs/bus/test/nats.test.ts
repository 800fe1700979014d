/**
 * What only the NATS adapter has to prove: provisioning from many replicas at once, surviving a
 * broker restart, and accepting a plain core publish (`nats pub`) on a subject a stream captures.
 */
import { startNatsServer, waitFor, type NatsServer } from '@hotrepos/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createBus, NatsTransport } from '../src/index.js';
import { bytes, testContracts, testStreams, type Job } from './fixtures.js';

describe('NATS adapter', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const server = async (opts: Parameters<typeof startNatsServer>[0] = {}): Promise<NatsServer> => {
    const s = await startNatsServer(opts);
    cleanups.push(() => s.stop());
    return s;
  };
  const transport = async (url: string): Promise<NatsTransport> => {
    const t = await NatsTransport.connect({ servers: url, name: 'nats-test' });
    cleanups.push(() => t.close());
    return t;
  };

  it('provisions streams and consumers idempotently from replicas starting together', async () => {
    const s = await server();
    const replicas = await Promise.all([1, 2, 3].map(() => transport(s.url)));
    const buses = await Promise.all(replicas.map((t) => createBus({ transport: t, contracts: testContracts, streams: testStreams, service: 'svc' })));
    await Promise.all(buses.map((bus) => bus.consume('jobs.work', async () => undefined, { durable: 'shared' })));

    const nc = await connect({ servers: s.url });
    cleanups.push(() => nc.close());
    const jsm = await jetstreamManager(nc);
    const streams = (await jsm.streams.list().next()).map((si) => si.config.name).sort();
    expect(streams).toEqual(['DLQ', 'JOBS']);
    const consumers = (await jsm.consumers.list('JOBS').next()).map((ci) => ci.name);
    expect(consumers).toEqual(['shared']);

    // A later start with changed limits updates the stream in place.
    await replicas[0]!.ensureStream({ name: 'JOBS', subjects: ['jobs.>'], maxAgeMs: 60_000 });
    expect((await jsm.streams.info('JOBS')).config.max_age).toBe(60_000 * 1_000_000);
  });

  it("sets the consumer's cap on unacknowledged messages when asked, on creation and on a later start", async () => {
    const s = await server();
    const nc = await connect({ servers: s.url });
    cleanups.push(() => nc.close());
    const jsm = await jetstreamManager(nc);
    const start = async (opts: { maxAckPending?: number }) => {
      const bus = await createBus({ transport: await transport(s.url), contracts: testContracts, streams: testStreams, service: 'svc' });
      const sub = await bus.consume('jobs.work', async () => undefined, { durable: 'capped', ...opts });
      await sub.stop();
      return (await jsm.consumers.info('JOBS', 'capped')).config.max_ack_pending;
    };
    expect(await start({})).toBe(1000);
    expect(await start({ maxAckPending: 20_000 })).toBe(20_000);
    expect(await start({ maxAckPending: 50 })).toBe(50);
  });

  it('keeps consuming after the server restarts', async () => {
    const first = await startNatsServer();
    cleanups.push(() => first.stop());
    const { port, storeDir } = first;
    const t = await transport(first.url);
    const bus = await createBus({ transport: t, contracts: testContracts, streams: testStreams, service: 'svc' });
    const seen: number[] = [];
    await bus.consume('jobs.work', async (job) => void seen.push(job.n));
    await bus.publish('jobs.work', { n: 1 });
    await waitFor(() => seen.length === 1);

    await first.stop({ keepStore: true });
    const second = await server({ port, storeDir });
    cleanups.push(() => import('node:fs/promises').then((fs) => fs.rm(storeDir, { recursive: true, force: true })));
    expect(second.port).toBe(port);

    // Publishing retries until the client has reconnected.
    // A publish that timed out may still have been stored: the msg id keeps a retry from storing it twice.
    await waitFor(() => bus.publish('jobs.work', { n: 2 }, { msgId: 'n2' }).then(() => true), { what: 'publish after restart', timeoutMs: 30_000 });
    await waitFor(() => seen.includes(2), { what: 'delivery after restart', timeoutMs: 30_000 });
    expect(seen).toEqual([1, 2]);
  });

  it('accepts a plain core publish without headers, as `nats pub` sends', async () => {
    const s = await server();
    const t = await transport(s.url);
    const bus = await createBus({ transport: t, contracts: testContracts, streams: testStreams, service: 'svc' });
    const seen: Job[] = [];
    await bus.consume('jobs.work', async (job) => void seen.push(job));
    const nc = await connect({ servers: s.url });
    cleanups.push(() => nc.close());
    nc.publish('jobs.work', bytes({ n: 5 }));
    await nc.flush();
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([{ n: 5 }]);
  });
});
