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
 * asks for one report once started; `--offline` serves GitHub's search from the fixture, in this
 * process. Ctrl-C, SIGTERM or SIGHUP drains the services, then stops the nats-server started
 * here, and exits 0. The first service to stop on its own stops the others, and the exit code is 1.
 * A launcher killed outright takes its children along: they watch it (see service-processes.ts).
 */
import { loadConfig } from '@hotrepos/config';
import { createLogger } from '@hotrepos/logging';
import { connectTransport, exitUnlessStoppedWithin, whenParentGone } from '@hotrepos/runtime';
import { join, resolve } from 'node:path';
import { startOfflineGithub } from './offline-github.js';
import { chooseNatsPort, findOnPath, startOwnNatsServer, type OwnNatsServer } from './own-nats-server.js';
import { reportOnce } from './report-once.js';
import { spawnServices } from './service-processes.js';
import { parseStartArgs, type StartArgs } from './start-args.js';
import { StartEnv } from './start-config.js';

const root = join(import.meta.dirname, '..', '..', '..');
/** Longer than a service's own bound (5 s): the services drain first, against a broker still up. */
const PARENT_GONE_STOP_MS = 15_000;

function startArgs(): StartArgs {
  try {
    return parseStartArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}

const { period, offline } = startArgs();
const config = loadConfig(StartEnv);
const pretty = process.stdout.isTTY === true;
const logger = createLogger({ service: 'start', level: config.LOG_LEVEL, pretty });
const dirs = { MEDIA_ROOT: resolve(root, config.MEDIA_ROOT), LOG_DIR: resolve(root, config.LOG_DIR) };

type StopRequest = { readonly signal: NodeJS.Signals } | { readonly parent: 'gone' };

// `on`, not `once`: a second signal (npm and the terminal can both deliver one Ctrl-C) must not
// kill this process mid-drain. SIGHUP too: a closed terminal would otherwise leave the services running.
// A parent that gave this process an IPC channel (a test) and is gone asks for the same stop.
const stopRequest = new Promise<StopRequest>((resolveStop) => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => resolveStop({ signal }));
  void whenParentGone().then(() => {
    exitUnlessStoppedWithin(PARENT_GONE_STOP_MS, logger);
    resolveStop({ parent: 'gone' });
  });
});

async function runProcessTree(env: NodeJS.ProcessEnv, broker: { readonly natsUrl: string } | { readonly natsServerBin: string }): Promise<number> {
  let nats: OwnNatsServer | undefined;
  let natsUrl: string;
  if ('natsUrl' in broker) natsUrl = broker.natsUrl;
  else {
    const storeDir = resolve(root, config.NATS_STORE_DIR);
    nats = await startOwnNatsServer({ bin: broker.natsServerBin, storeDir, port: await chooseNatsPort(config.NATS_PORT) });
    natsUrl = nats.url;
    logger.info({ natsUrl, storeDir, pid: nats.pid }, 'nats-server started');
  }
  const services = spawnServices({ root, env: { ...env, NATS_URL: natsUrl } });
  logger.info({ pids: services.pids, ...dirs }, 'services starting');

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

  const ended = await Promise.race([stopRequest.then((request) => ({ request })), services.firstExit.then((exit) => ({ exit }))]);
  if ('exit' in ended) logger.error(ended.exit, `${ended.exit.name} stopped on its own: stopping the others`);
  else logger.info(ended.request, 'stopping');
  reporting.abort();
  await report;
  const clean = await services.stop();
  await nats?.stop();
  logger.info('stopped');
  return 'request' in ended && clean ? 0 : 1;
}

async function runInOneProcess(env: NodeJS.ProcessEnv): Promise<number> {
  logger.warn('no NATS_URL and no nats-server on PATH: every service runs in this process on the in-process transport; nothing outlives it, and only --report can ask it for a report');
  // Loaded only here: a process tree has no use for the apps' code in this process.
  const { startInProcess } = await import('./in-process.js');
  const run = await startInProcess({ env, level: config.LOG_LEVEL, logDir: dirs.LOG_DIR, pretty, logger });
  const reporting = new AbortController();
  const report = period && reportOnce(run.transport, period, { signal: reporting.signal, logger });

  logger.info(await stopRequest, 'stopping');
  reporting.abort();
  await report;
  await run.stop();
  logger.info('stopped');
  return 0;
}

async function runServices(env: NodeJS.ProcessEnv): Promise<number> {
  if (config.NATS_URL !== undefined) return runProcessTree(env, { natsUrl: config.NATS_URL });
  const natsServerBin = await findOnPath('nats-server');
  return natsServerBin === undefined ? runInOneProcess(env) : runProcessTree(env, { natsServerBin });
}

async function start(): Promise<number> {
  const github = offline ? await startOfflineGithub() : undefined;
  if (github) logger.info({ githubApiUrl: github.env.GITHUB_API_URL }, 'offline: the GitHub fixture serves the searches');
  try {
    return await runServices({ ...process.env, ...dirs, ...github?.env });
  } finally {
    await github?.stop();
  }
}

try {
  process.exit(await start());
} catch (err) {
  logger.fatal({ err }, 'start failed');
  process.exit(1);
}
