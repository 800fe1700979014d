/**
 * The pipeline as production runs it: a fresh nats-server, then the aggregator, `fetchers` fetcher
 * replicas and the importer, each its own process running the bundle the Dockerfile builds for it
 * (bundle.ts). Reports are requested through `@hotrepos/client` on a connection of the benchmark's own.
 */
import { durableName, NatsTransport } from '@hotrepos/bus';
import { requestReport } from '@hotrepos/client';
import { Streams, Subjects } from '@hotrepos/contracts';
import { createHotBus } from '@hotrepos/runtime';
import { repoRoot, startNatsServer, startProcess, waitFor, type NatsServer, type RunningProcess } from '@hotrepos/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAll } from '../shared/run-all.js';
import { bundleService } from './bundle.js';
import type { RunReport } from './load.js';
import { StatusTap } from './status-tap.js';


/** Fetches in flight across all replicas: the floor's 10 reports × 5 pages, so config never caps the pipeline below it. */
export const FETCH_SLOTS = 50;
/** Per subject in the aggregator: its default. */
export const AGGREGATOR_CONCURRENCY = 16;
/** Reports written at once: the floor's 10 in flight. */
export const IMPORTER_CONCURRENCY = 10;
const START_TIMEOUT_MS = 60_000;
const REPORT_TIMEOUT_MS = 60_000;

/** Which durable consumers a service pulls from once it is up. */
const CONSUMES = {
  aggregator: [Subjects.ReportsRequest, Subjects.ReportsPage, Subjects.ReportsFailed, Subjects.ReportsReady],
  fetcher: [Subjects.ReportsFetch],
  importer: [Subjects.ReportsAggregated],
} as const;
type Service = keyof typeof CONSUMES;

/** Processes serving reports, as the measurement sees them. */
export interface RunningPipeline {
  readonly services: readonly RunningProcess[];
  readonly natsPid: number;
  readonly run: RunReport;
  /** The end of what each service printed (at `warn`, only trouble), to explain a failed run. */
  logs(): string;
  stop(): Promise<void>;
}

export interface Pipeline extends RunningPipeline {
  readonly tap: StatusTap;
}

function serviceEnv(fetchers: number): Record<string, string> {
  return {
    LOG_LEVEL: 'warn',
    FETCHER_CONCURRENCY: String(Math.ceil(FETCH_SLOTS / fetchers)),
    AGGREGATOR_CONCURRENCY: String(AGGREGATOR_CONCURRENCY),
    IMPORTER_CONCURRENCY: String(IMPORTER_CONCURRENCY),
  };
}

export async function startPipeline(apiUrl: string, fetchers: number, refDate: string): Promise<Pipeline> {
  const dir = await mkdtemp(join(tmpdir(), 'hotrepos-bench-report-'));
  const services: RunningProcess[] = [];
  let nats: NatsServer | undefined;
  let client: { transport: NatsTransport; tap: StatusTap } | undefined;
  // Nothing may outlive the benchmark.
  const stop = () =>
    runAll(
      [
        () => client?.tap.stop(),
        () => client?.transport.close(),
        () => Promise.all(services.map((s) => s.stop('SIGTERM'))),
        () => nats?.stop(),
        () => rm(dir, { recursive: true, force: true }),
      ],
      'stopping the pipeline failed',
    );

  try {
    const bundles = new Map(await Promise.all(Object.keys(CONSUMES).map(async (name) => [name, await bundleService(name, join(dir, 'bundles'))] as const)));
    nats = await startNatsServer();
    const env = { NATS_URL: nats.url, GITHUB_API_URL: apiUrl, MEDIA_ROOT: join(dir, 'media'), LOG_DIR: join(dir, 'logs'), ...serviceEnv(fetchers) };
    const names: Service[] = ['aggregator', ...Array.from({ length: fetchers }, (): Service => 'fetcher'), 'importer'];
    for (const name of names) {
      const bundle = bundles.get(name);
      if (!bundle) throw new Error(`no bundle for ${name}`);
      services.push(startProcess({ name, command: process.execPath, args: [bundle.main], env: { ...bundle.env, ...env }, cwd: repoRoot }));
    }
    const transport = await NatsTransport.connect({ servers: nats.url, name: 'bench-report' });
    client = { transport, tap: await StatusTap.open(transport) };
    await untilEveryReplicaPulls(transport, services, fetchers);
    const bus = await createHotBus(transport, { service: 'bench-report' });
    const { tap } = client;
    return {
      services,
      natsPid: nats.pid,
      tap,
      run: async (requestId) => {
        await Promise.all([tap.expect(requestId, REPORT_TIMEOUT_MS), requestReport(bus, { requestId, period: 'week', refDate })]);
      },
      logs: () => services.map((s) => `--- ${s.name} (pid ${s.pid})\n${s.output().slice(-2000)}`).join('\n'),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Up means pulling: every replica keeps a pull request waiting on each of its consumers. The
 * services' "started" line would do too, but they log at `warn` here so logging costs nothing.
 */
async function untilEveryReplicaPulls(transport: NatsTransport, services: readonly RunningProcess[], fetchers: number): Promise<void> {
  const jsm = await jetstreamManager(transport.connection);
  const gone: RunningProcess[] = [];
  for (const s of services) void s.exited.then(() => gone.push(s));
  const replicas: Record<Service, number> = { aggregator: 1, fetcher: fetchers, importer: 1 };
  const consumers = Object.entries(CONSUMES).flatMap(([service, subjects]) => subjects.map((subject) => ({ durable: durableName(service, subject), replicas: replicas[service as Service] })));
  const pulling = async () => {
    const waiting = await Promise.all(consumers.map(async (c) => (await jsm.consumers.info(Streams.Reports.name, c.durable)).num_waiting >= c.replicas));
    return waiting.every(Boolean);
  };
  await waitFor(async () => gone.length > 0 || (await pulling()), { timeoutMs: START_TIMEOUT_MS, intervalMs: 100, what: 'every service replica to pull' });
  const [dead] = gone;
  if (dead) throw new Error(`${dead.name} (pid ${dead.pid}) exited while starting:\n${dead.output().slice(-3000)}`);
}
