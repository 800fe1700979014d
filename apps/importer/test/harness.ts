/**
 * A real nats-server with the importer started against it, and the test's own view of the
 * subjects, KV bucket and object store the importer writes to.
 */
import { NatsTransport, type Delivery, type Transport } from '@hotrepos/bus';
import { parseConfig } from '@hotrepos/config';
import { ObjectStores, Streams, type Repo, type ReportAggregated } from '@hotrepos/contracts';
import { createLogger } from '@hotrepos/logging';
import { ReportStatusStore } from '@hotrepos/reports';
import { createHotBus, type HotBus, type RunningService } from '@hotrepos/runtime';
import { startNatsServer, type NatsServer } from '@hotrepos/testing';
import { startImporter } from '../src/app.js';
import { ImporterEnv } from '../src/config.js';

export interface LogLine {
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface Harness {
  readonly transport: Transport;
  /** The test's publisher: a bus of its own, as another service would have. */
  readonly bus: HotBus;
  readonly statuses: ReportStatusStore;
  readonly logs: LogLine[];
  readObject(key: string): Promise<Uint8Array | undefined>;
  /** Every message published on `subject` from now on, acknowledged as it arrives. */
  collect(subject: string): Promise<Delivery[]>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string>): Promise<Harness> {
  const server: NatsServer = await startNatsServer();
  const transports: Transport[] = [];
  const connect = async () => {
    const t = await NatsTransport.connect({ servers: server.url, name: 'importer-test' });
    transports.push(t);
    return t;
  };
  const logs: LogLine[] = [];
  const logger = createLogger({ service: 'importer', level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } });
  const importerBus = await createHotBus(await connect(), { service: 'importer', logger });
  const importer: RunningService = await startImporter({ bus: importerBus, logger, config: parseConfig(ImporterEnv, env) });

  const transport = await connect();
  const bus = await createHotBus(transport, { service: 'importer-test' });
  const store = await transport.objectStore(ObjectStores.Reports);
  let readers = 0;
  return {
    transport,
    bus,
    statuses: await ReportStatusStore.open(transport),
    logs,
    readObject: (key) => store.get(key),
    async collect(subject) {
      const seen: Delivery[] = [];
      const stream = subject.startsWith('dlq.') ? Streams.DeadLetters.name : Streams.Reports.name;
      await transport.consume(
        { stream, durable: `test-reader-${++readers}`, filterSubject: subject, ackWaitMs: 30_000, maxDeliver: 5 },
        async (d) => {
          seen.push(d);
          d.ack();
        },
        { concurrency: 1 },
      );
      return seen;
    },
    async close() {
      await importer.stop();
      await importerBus.stop();
      await bus.stop();
      await Promise.all(transports.map((t) => t.close().catch(() => undefined)));
      await server.stop();
    },
  };
}

let nextId = 1;

export function repo(fullName: string, overrides: Partial<Repo> = {}): Repo {
  const id = nextId++;
  return {
    id,
    fullName,
    htmlUrl: `https://github.com/example/r${id}`,
    description: null,
    language: null,
    stars: 1000 - id,
    forks: 0,
    createdAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

export function aggregated(reportId: string, groups: ReportAggregated['groups']): ReportAggregated {
  return { reportId, since: '2026-11-20', period: 'week', groups };
}

const decoder = new TextDecoder();
export const json = (d: Delivery): unknown => JSON.parse(decoder.decode(d.data));
