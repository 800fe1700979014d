/**
 * A real nats-server, the gateway built against it and listening on a random port, and the test's
 * own view of the KV bucket and object store (as the aggregator and importer would write them).
 */
import { NatsTransport, type ObjectStore } from '@hotrepos/bus';
import { parseConfig } from '@hotrepos/config';
import { ObjectStores, type ReportStatus } from '@hotrepos/contracts';
import { createLogger } from '@hotrepos/logging';
import { ReportStatusStore } from '@hotrepos/reports';
import { createErrorReporter, createHotBus, type HotBus } from '@hotrepos/runtime';
import { startNatsServer, type NatsServer } from '@hotrepos/testing';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildGateway, type GatewayApp } from '../src/app.js';
import { GatewayEnv } from '../src/config.js';

export interface LogLine {
  readonly msg: string;
  readonly level: number;
  readonly [field: string]: unknown;
}

export interface Harness {
  readonly nats: NatsServer;
  readonly app: GatewayApp;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The test's own connection. */
  readonly transport: NatsTransport;
  readonly statuses: ReportStatusStore;
  readonly reports: ObjectStore;
  readonly logs: LogLine[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly env?: Record<string, string>;
  readonly now?: () => Date;
  /** Adds routes to the built app before it listens. */
  readonly extend?: (app: GatewayApp) => void;
}

export async function startHarness({ env = {}, now, extend }: HarnessOptions = {}): Promise<Harness> {
  const nats = await startNatsServer();
  const logs: LogLine[] = [];
  const logger = createLogger({ service: 'gateway', level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } });
  const gatewayTransport = await NatsTransport.connect({ servers: nats.url, name: 'gateway' });
  const bus: HotBus = await createHotBus(gatewayTransport, { service: 'gateway', logger });
  const errors = createErrorReporter({ service: 'gateway', bus: () => bus, logger });
  const app = await buildGateway({ bus, logger, errors, config: parseConfig(GatewayEnv, env), ...(now ? { now } : {}) });
  extend?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;

  const transport = await NatsTransport.connect({ servers: nats.url, name: 'gateway-test' });
  return {
    nats,
    app,
    url: `http://127.0.0.1:${port}`,
    transport,
    statuses: await ReportStatusStore.open(transport),
    reports: await transport.objectStore(ObjectStores.Reports),
    logs,
    async close() {
      await app.close();
      await bus.stop();
      await Promise.all([gatewayTransport, transport].map((t) => t.close().catch(() => undefined)));
      await nats.stop();
    },
  };
}

export function status(reportId: string, overrides: Partial<ReportStatus> = {}): ReportStatus {
  return {
    reportId,
    state: 'queued',
    pagesDone: 0,
    pagesTotal: 5,
    period: 'week',
    since: '2026-11-20',
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    ...overrides,
  };
}

/** Puts `csv` in the object store as the importer would and returns the `ready` status naming it. */
export async function storeReady(h: Harness, reportId: string, csv: string | Uint8Array): Promise<ReportStatus> {
  const bytes = typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv;
  const name = 'github-hot-repos-2026-11-20.csv';
  const objectKey = `${reportId}/${name}`;
  await h.reports.put(objectKey, bytes);
  const ready = status(reportId, {
    state: 'ready',
    pagesDone: 5,
    file: { name, objectKey, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex'), path: `/data/media/${objectKey}` },
  });
  await h.statuses.create(ready);
  return ready;
}

export async function postJson(h: Harness, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
