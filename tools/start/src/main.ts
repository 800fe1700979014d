/**
 * `npm start`: every service on this machine, in one process tree.
 *
 * - NATS_URL set: each service as a child process, against that server.
 * - NATS_URL unset: the same, against a nats-server started here from PATH (JetStream, store in
 *   NATS_STORE_DIR or `.data/nats`, 127.0.0.1:4222 when free, else a free port; NATS_PORT
 *   chooses), its URL logged.
 * - Neither: every service in this one process on the in-process transport.
 *
 * MEDIA_ROOT and LOG_DIR default to `.data/media` and `.data/logs`; the rest of the environment
 * (GITHUB_API_URL, GITHUB_TOKEN, SMTP_URL...) reaches the services as it is. `--report <period>`
 * asks for one report once started. Ctrl-C, SIGTERM or SIGHUP drains the services, then stops
 * the nats-server started here, and exits 0.
 */
import { loadConfig } from '@hotrepos/config';
import { ReportPeriod } from '@hotrepos/contracts';
import { createLogger } from '@hotrepos/logging';
import { connectTransport } from '@hotrepos/runtime';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseNatsPort, findOnPath, startOwnNatsServer, type OwnNatsServer } from './own-nats-server.js';
import { reportOnce } from './report-once.js';
import { SERVICE_NAMES, spawnServices } from './service-processes.js';
import { StartEnv } from './start-config.js';

const root = join(import.meta.dirname, '..', '..', '..');

function reportPeriodArg(): ReportPeriod | undefined {
  try {
    const { report } = parseArgs({ options: { report: { type: 'string' } } }).values;
    return report === undefined ? undefined : ReportPeriod.parse(report);
  } catch {
    process.stderr.write(`usage: npm start [-- --report ${ReportPeriod.options.join('|')}]\n`);
    process.exit(2);
  }
}

const period = reportPeriodArg();
const config = loadConfig(StartEnv);
const pretty = process.stdout.isTTY === true;
const logger = createLogger({ service: 'start', level: config.LOG_LEVEL, pretty });
const dirs = { MEDIA_ROOT: resolve(root, config.MEDIA_ROOT), LOG_DIR: resolve(root, config.LOG_DIR) };

// `on`, not `once`: a second signal (npm and the terminal can both deliver one Ctrl-C) must not
// kill this process mid-drain. SIGHUP too: a closed terminal would otherwise leave the services running.
const stopSignal = new Promise<NodeJS.Signals>((resolveSignal) => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => resolveSignal(signal));
});

async function runProcessTree(broker: { readonly natsUrl: string } | { readonly natsServerBin: string }): Promise<number> {
  let nats: OwnNatsServer | undefined;
  let natsUrl: string;
  if ('natsUrl' in broker) natsUrl = broker.natsUrl;
  else {
    const storeDir = resolve(root, config.NATS_STORE_DIR);
    nats = await startOwnNatsServer({ bin: broker.natsServerBin, storeDir, port: await chooseNatsPort(config.NATS_PORT) });
    natsUrl = nats.url;
    logger.info({ natsUrl, storeDir }, 'nats-server started');
  }
  const services = spawnServices({ root, env: { ...process.env, ...dirs, NATS_URL: natsUrl } });
  logger.info({ services: SERVICE_NAMES, ...dirs }, 'services starting');

  const reporting = new AbortController();
  const report =
    period &&
    connectTransport({ service: 'start', natsUrl, logger, replicas: config.NATS_REPLICAS }).then(
      async (transport) => {
        await reportOnce(transport, period, { signal: reporting.signal, logger });
        await transport.close();
      },
      (err: unknown) => logger.error({ err }, 'cannot reach NATS to ask for the report'),
    );

  const ended = await Promise.race([stopSignal.then((signal) => ({ signal })), services.firstExit.then((exit) => ({ exit }))]);
  if ('exit' in ended) logger.error(ended.exit, `${ended.exit.name} stopped on its own: stopping the others`);
  else logger.info({ signal: ended.signal }, 'stopping');
  reporting.abort();
  await report;
  const clean = await services.stop();
  await nats?.stop();
  logger.info('stopped');
  return 'signal' in ended && clean ? 0 : 1;
}

async function runInOneProcess(): Promise<number> {
  logger.warn('no NATS_URL and no nats-server on PATH: every service runs in this process on the in-process transport; nothing outlives it, and only --report can ask it for a report');
  // Loaded only here: a process tree has no use for the apps' code in this process.
  const { startInProcess } = await import('./in-process.js');
  const run = await startInProcess({ env: { ...process.env, ...dirs }, level: config.LOG_LEVEL, logDir: dirs.LOG_DIR, pretty, logger });
  const reporting = new AbortController();
  const report = period && reportOnce(run.transport, period, { signal: reporting.signal, logger });

  logger.info({ signal: await stopSignal }, 'stopping');
  reporting.abort();
  await report;
  await run.stop();
  logger.info('stopped');
  return 0;
}

async function start(): Promise<number> {
  if (config.NATS_URL !== undefined) return runProcessTree({ natsUrl: config.NATS_URL });
  const natsServerBin = await findOnPath('nats-server');
  return natsServerBin === undefined ? runInOneProcess() : runProcessTree({ natsServerBin });
}

try {
  process.exit(await start());
} catch (err) {
  logger.fatal({ err }, 'start failed');
  process.exit(1);
}
