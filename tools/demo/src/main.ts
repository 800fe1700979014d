/**
 * `npm run demo`: one hot-repos report, end to end, with no network. Starts a nats-server of its
 * own (JetStream, temp store), the GitHub fixture server, and the aggregator, three fetchers and
 * the importer as separate processes, exactly as they run in production; requests a weekly
 * report, shows its progress, prints where the CSV is and its first rows, and stops everything.
 * Killed, it takes everything along: the fixture runs in this process, the nats-server gets its
 * parent-death signal and the services watch their IPC channel (libs/testing).
 */
import { NatsTransport } from '@hotrepos/bus';
import { downloadReport, requestReport, waitForReport } from '@hotrepos/client';
import { startGithubFixture } from '@hotrepos/github-fixture';
import { createHotBus, whenParentGone } from '@hotrepos/runtime';
import { startNatsServer, startServiceProcess, type RunningProcess } from '@hotrepos/testing';
import { join, relative } from 'node:path';

// Under the directory it is run from, so a demo never writes anywhere but where it was asked to run.
const dataDir = join(process.cwd(), '.data', 'demo');

const say = (line: string) => process.stdout.write(`${line}\n`);

// Run by a process that gave it an IPC channel (a test) and is gone: no one waits for the report,
// and ending here ends everything it started.
void whenParentGone().then(() => process.exit(1));

const nats = await startNatsServer();
const github = await startGithubFixture({ rateLimit: false, latencyMs: 150 });
say(`nats-server ${nats.url}, GitHub fixture ${github.url}`);

const services: RunningProcess[] = [];
let transport: NatsTransport | undefined;
const stopAll = async () => {
  // The client first: left open after the server stops, it would try to reconnect forever.
  await transport?.close();
  await Promise.all(services.map((s) => s.stop('SIGTERM')));
  await github.stop();
  await nats.stop();
};

try {
  const env = { NATS_URL: nats.url, GITHUB_API_URL: github.url, MEDIA_ROOT: join(dataDir, 'media'), LOG_DIR: join(dataDir, 'logs'), LOG_LEVEL: 'info' };
  for (const name of ['aggregator', 'fetcher', 'fetcher', 'fetcher', 'importer']) {
    services.push(startServiceProcess(name, { env }));
  }
  await Promise.all(services.map((s) => s.waitForOutput('"msg":"started"')));
  say(`started ${services.map((s) => s.name).join(', ')}`);

  transport = await NatsTransport.connect({ servers: nats.url, name: 'demo' });
  const bus = await createHotBus(transport, { service: 'demo' });
  const { reportId } = await requestReport(bus, { period: 'week' });
  say(`requested report ${reportId} (period: week)`);

  const status = await waitForReport(transport, reportId, {
    timeoutMs: 60_000,
    onProgress: (s) => say(`  ${s.state.padEnd(11)} ${'█'.repeat(s.pagesDone).padEnd(s.pagesTotal, '░')} ${s.pagesDone}/${s.pagesTotal} pages`),
  });
  const csv = Buffer.from(await downloadReport(transport, status)).toString('utf8');
  say(`\nready: ${relative(process.cwd(), status.file!.path)} (${status.file!.bytes} bytes, sha256 ${status.file!.sha256.slice(0, 12)}…)`);
  for (const line of csv.split('\r\n').slice(0, 5)) say(`  ${line.length > 150 ? `${line.slice(0, 149)}…` : line}`);
} catch (err) {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  for (const s of services) process.stderr.write(`--- ${s.name}\n${s.output().slice(-2000)}\n`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
