/**
 * `npm run bench -- gateway`: requests/s and latency of the gateway's `POST /api/reports` (validate,
 * publish `reports.request` to JetStream, answer 202) and `GET /api/reports/:id` (one KV read),
 * beside a bare fastify server with the same routes and answers, under load from a second process
 * on loopback. Rounds alternate bare and gateway so drift on a shared machine hits both alike.
 */
import { NatsTransport } from '@hotrepos/bus';
import type { ReportStatus } from '@hotrepos/contracts';
import { ReportStatusStore } from '@hotrepos/reports';
import { freePort, repoRoot, startNatsServer, startProcess, waitFor, type NatsServer, type RunningProcess } from '@hotrepos/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad, type LoadJob, type LoadResult } from './gateway/load.js';
import { renderGatewayTables, type RouteResult, ROUTES, SERVERS, type RouteName, type ServerName } from './gateway/render.js';
import { bundleService } from './report/bundle.js';
import { watchProcesses } from './report/proc-usage.js';
import { writeSection } from './shared/docs.js';
import { describeMachine, machineLine } from './shared/machine.js';

const ROUNDS = 3;
const CONNECTIONS = 16;
const WARMUP_S = 2;
const DURATION_S = 8;
const START_TIMEOUT_MS = 60_000;

/** What `GET /api/reports/:id` answers in both servers: a finished report's status, its largest shape. */
const STATUS: ReportStatus = {
  reportId: 'bench-gateway-report',
  state: 'ready',
  pagesDone: 5,
  pagesTotal: 5,
  period: 'week',
  since: '2026-11-20',
  file: {
    name: 'github-hot-repos-2026-11-27.csv',
    objectKey: 'bench-gateway-report/github-hot-repos-2026-11-27.csv',
    bytes: 31_337,
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    path: '/srv/media/bench-gateway-report/github-hot-repos-2026-11-27.csv',
  },
  createdAt: '2026-11-27T00:00:00.000Z',
  updatedAt: '2026-11-27T00:00:01.000Z',
};

const REQUEST_BODY = JSON.stringify({ period: 'week', refDate: '2026-11-20' });

function jobFor(route: RouteName, baseUrl: string): LoadJob {
  const common = { connections: CONNECTIONS, warmupS: WARMUP_S, durationS: DURATION_S };
  if (route === 'POST /api/reports') {
    return { ...common, url: `${baseUrl}/api/reports`, method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'de-DE,de;q=0.9' }, body: REQUEST_BODY };
  }
  return { ...common, url: `${baseUrl}/api/reports/${STATUS.reportId}`, method: 'GET', headers: {} };
}

async function startBare(): Promise<{ process: RunningProcess; url: string }> {
  const bare = startProcess({
    name: 'bare fastify',
    command: process.execPath,
    args: [...process.execArgv, join(repoRoot, 'bench', 'gateway', 'bare-server.ts'), JSON.stringify(STATUS)],
  });
  await bare.waitForOutput(/"port":\d+/, START_TIMEOUT_MS);
  const port = Number(/"port":(\d+)/.exec(bare.output())?.[1]);
  return { process: bare, url: `http://127.0.0.1:${port}` };
}

async function startGateway(natsUrl: string, dir: string): Promise<{ process: RunningProcess; url: string }> {
  const bundle = await bundleService('gateway', join(dir, 'bundles'));
  const port = await freePort();
  const gateway = startProcess({
    name: 'gateway',
    command: process.execPath,
    args: [bundle.main],
    cwd: repoRoot,
    env: {
      ...bundle.env,
      NATS_URL: natsUrl,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      // The image copies the page beside the bundle; here it stays in the package.
      GATEWAY_PUBLIC_DIR: join(repoRoot, 'apps', 'gateway', 'public'),
      LOG_LEVEL: 'warn',
      LOG_DIR: join(dir, 'logs'),
    },
  });
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void gateway.exited.then(() => (gone = true));
  const ready = () => fetch(`${url}/readyz`).then((r) => r.ok, () => false);
  await waitFor(async () => gone || (await ready()), { timeoutMs: START_TIMEOUT_MS, intervalMs: 100, what: 'the gateway to be ready' });
  if (gone) throw new Error(`the gateway exited while starting:\n${gateway.output().slice(-3000)}`);
  return { process: gateway, url };
}

export async function run(): Promise<void> {
  const machine = await describeMachine();
  const dir = await mkdtemp(join(tmpdir(), 'hotrepos-bench-gateway-'));
  let nats: NatsServer | undefined;
  const processes: RunningProcess[] = [];
  const samples = new Map<string, LoadResult[]>();
  let gatewayRssMb = 0;
  try {
    nats = await startNatsServer();
    const transport = await NatsTransport.connect({ servers: nats.url, name: 'bench-gateway' });
    try {
      await (await ReportStatusStore.open(transport)).create(STATUS);
    } finally {
      await transport.close();
    }
    const servers: Record<ServerName, { process: RunningProcess; url: string }> = { bare: await startBare(), gateway: await startGateway(nats.url, dir) };
    processes.push(servers.bare.process, servers.gateway.process);
    const usage = await watchProcesses([servers.gateway.process.pid]);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const route of ROUTES) {
        for (const server of SERVERS) {
          const sample = await runLoad(jobFor(route, servers[server].url));
          // Progress goes to stderr so stdout is only the tables.
          console.error(`gateway ${route} ${server} #${round}: ${Math.round(sample.requestsPerSec)} req/s, mean ${sample.meanMs.toFixed(2)} / p99 ${sample.p99Ms} ms, ${sample.failures} failed`);
          if (sample.failures > 0) throw new Error(`${route} on ${server}: ${sample.failures} of ${sample.requests} requests failed`);
          samples.set(`${route} ${server}`, [...(samples.get(`${route} ${server}`) ?? []), sample]);
        }
      }
    }
    gatewayRssMb = (await usage.stop())[0]?.peakRssMb ?? 0;
  } finally {
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  }

  const results: RouteResult[] = ROUTES.map((route) => ({
    route,
    bare: samples.get(`${route} bare`) ?? [],
    gateway: samples.get(`${route} gateway`) ?? [],
  }));
  const tables = renderGatewayTables(results, gatewayRssMb);
  console.log(tables);
  const loadAtEnd = `and ${(loadavg()[0] ?? 0).toFixed(1)} at the end`;
  await writeSection('Gateway', `${describeSettings()}\n\nMeasured ${machineLine(machine)} ${loadAtEnd}.\n\n${tables}`, machine);
}

function describeSettings(): string {
  return [
    '`npm run bench -- gateway` loads the gateway (`apps/gateway` bundled by the Dockerfile\'s esbuild command and run',
    'as `node main.mjs` with the image\'s `ENV`, `LOG_LEVEL=warn`, against a fresh local nats-server on the same machine)',
    'and a bare fastify server (bench/gateway/bare-server.ts: the same fastify, routes and answer shapes, with',
    'no validation, broker, KV or logging) from a second process on loopback with autocannon.',
    '',
    `- \`POST /api/reports\`: \`${REQUEST_BODY}\` with \`Accept-Language: de-DE\`; the gateway validates it, publishes`,
    '  `reports.request` to JetStream and waits for the stream\'s acknowledgement before answering 202 (no aggregator',
    '  runs, so the requests only pile up in the stream).',
    '- `GET /api/reports/:id`: a ready report\'s status, read from the `report-status` KV bucket by the gateway.',
    `- ${CONNECTIONS} connections, no pipelining; each run ${WARMUP_S} s of warm-up, then ${DURATION_S} s measured; bare and gateway`,
    `  alternate per route for ${ROUNDS} rounds; figures are medians of the runs. Any non-2xx answer, socket error or`,
    '  timeout fails the benchmark.',
    '- Peak RSS: `VmRSS` of the gateway process sampled every 100 ms over all its runs.',
    '- nats-server, the server under test and autocannon share the machine\'s cores; the bare server needs no broker,',
    '  so the gap is the price of a JetStream acknowledgement (POST) or a KV read (GET) per request plus validation and scope.',
  ].join('\n');
}
