/**
 * `npm start` in each of its three ways of finding a broker: NATS_URL, a nats-server it starts
 * itself (here `--offline`, with the GitHub fixture in the launcher), and none at all (every
 * service in one process on the in-process transport). Each run produces a report from the GitHub
 * fixture and stops cleanly with exit code 0. A launcher killed with SIGKILL mid-report leaves no
 * process behind, and the next start completes that report; a gateway port in use fails the start.
 *
 * The root script's command is run as npm would run it, minus npm: npm 10 and 11 do not pass a
 * SIGTERM on to the script (npm/cli#6684), so only a signal to the launcher itself tests its own
 * shutdown.
 */
import { NatsTransport } from '@hotrepos/bus';
import { waitForReport } from '@hotrepos/client';
import { startGithubFixture, type GithubFixture } from '@hotrepos/github-fixture';
import { pidRunning, startNatsServer, startProcess, waitFor, type RunningProcess } from '@hotrepos/testing';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse/sync';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectedRows } from '../e2e/expected-report.js';
import { repoRoot } from './compose-project.js';

// Whole lines: output arrives in chunks, and a line is parsed only once its end has arrived.
const EVERY_SERVICE_STARTED = /("msg":"started"}\n[\s\S]*){6}/;
const REPORT_READY = /"msg":"report ready"}\n/;

interface LogLine {
  readonly service?: string;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

const logLines = (output: string): LogLine[] =>
  output
    .slice(0, output.lastIndexOf('\n'))
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

const logged = (proc: RunningProcess, msg: string) => logLines(proc.output()).filter((line) => line.msg === msg);

/** Every process the launcher says it started, by name: the services and, without NATS_URL, its nats-server. */
const startedPids = (proc: RunningProcess): Record<string, number> => {
  const [nats] = logged(proc, 'nats-server started');
  return { ...(logged(proc, 'services starting')[0]?.['pids'] as Record<string, number>), ...(nats ? { 'nats-server': Number(nats['pid']) } : {}) };
};

const natsUrlOf = (proc: RunningProcess) => String(logged(proc, 'nats-server started')[0]?.['natsUrl']);

async function stillRunning(pids: Record<string, number>): Promise<Record<string, number>> {
  const running = await Promise.all(Object.entries(pids).map(async ([name, pid]) => ((await pidRunning(pid)) ? [[name, pid] as const] : [])));
  return Object.fromEntries(running.flat());
}

/** The web page and API run too: the gateway answers for the report, wherever it found a free port. */
async function expectGatewayServes(proc: RunningProcess, reportId: string): Promise<void> {
  const address = String(logged(proc, 'gateway listening')[0]?.['address']);
  expect((await fetch(`${address}/readyz`)).status).toBe(200);
  const status = (await (await fetch(`${address}/api/reports/${reportId}`)).json()) as { state: string };
  expect(status.state).toBe('ready');
  expect(await (await fetch(`${address}/`)).text()).toContain('Generate report');
}

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  let dir: string;
  let github: GithubFixture;
  const launched: RunningProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotrepos-start-'));
    github = await startGithubFixture({ rateLimit: false });
  });

  afterEach(async (ctx) => {
    for (const launcher of launched.splice(0)) {
      if (ctx.task.result?.state === 'fail') console.error(launcher.output().slice(-6000));
      // A launcher stopped as a user would: it stops its children, and they their work.
      await launcher.stop('SIGTERM', 30_000);
      // Whatever a failed test left running must not reach into the next one.
      for (const pid of Object.values(await stillRunning(startedPids(launcher)))) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Ended between the look and the kill.
        }
      }
    }
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  afterAll(async () => {
    await github?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function launch(name: string, env: Record<string, string | undefined>, args: readonly string[] = []): Promise<RunningProcess> {
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const [node, ...nodeArgs] = pkg.scripts['start']!.split(' ');
    expect(node).toBe('node');
    const launcher = startProcess({
      name: `npm start (${name})`,
      command: process.execPath,
      args: [...nodeArgs, ...args],
      cwd: repoRoot,
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: 'start-token',
        SMTP_URL: 'smtp://127.0.0.1:2525',
        MEDIA_ROOT: join(dir, name, 'media'),
        LOG_DIR: join(dir, name, 'logs'),
        LOG_LEVEL: 'info',
        NATS_URL: undefined,
        NATS_PORT: undefined,
        NATS_STORE_DIR: undefined,
        // Any free port: a developer's own gateway may hold 3000.
        GATEWAY_PORT: '0',
        GATEWAY_HOST: '127.0.0.1',
        ...env,
      },
    });
    launched.push(launcher);
    return launcher;
  }

  /** Asks like an outsider, with a plain NATS client. */
  async function requestReport(natsUrl: string, requestId: string): Promise<void> {
    const nc = await connect({ servers: natsUrl });
    nc.publish('reports.request', JSON.stringify({ requestId, period: 'week', refDate: '2026-11-27' }));
    await nc.flush();
    await nc.close();
  }

  async function reportThrough(natsUrl: string, requestId: string, mediaRoot: string): Promise<void> {
    await requestReport(natsUrl, requestId);
    await expectReportFile(natsUrl, requestId, mediaRoot);
  }

  async function expectReportFile(natsUrl: string, requestId: string, mediaRoot: string): Promise<void> {
    const client = await NatsTransport.connect({ servers: natsUrl, name: 'start-test' });
    try {
      const status = await waitForReport(client, requestId, { timeoutMs: 60_000 });
      expect(status.file?.path).toBe(join(mediaRoot, requestId, 'github-hot-repos-2026-11-20.csv'));
      expect(parse(await readFile(status.file!.path), { relax_column_count: true })).toEqual(expectedRows('2026-11-20'));
    } finally {
      await client.close();
    }
  }

  it('runs every service against NATS_URL, with the environment it is given', async () => {
    const nats = await startNatsServer();
    cleanups.push(() => nats.stop());
    const proc = await launch('nats-url', { NATS_URL: nats.url });
    await proc.waitForOutput(EVERY_SERVICE_STARTED, 60_000);
    expect(logged(proc, 'started').map((l) => l['natsUrl'])).toEqual(Array(6).fill(nats.url));
    expect(logged(proc, 'mailer ready')[0]?.['smtpHost']).toBe('127.0.0.1:2525');
    expect(logged(proc, 'nats-server started')).toEqual([]);

    await reportThrough(nats.url, 'start-nats-url', join(dir, 'nats-url', 'media'));
    await expectGatewayServes(proc, 'start-nats-url');
    await access(join(dir, 'nats-url', 'logs', 'fetcher.fetch.log'));

    expect(await proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(logged(proc, 'stopped').map((l) => l.service).sort()).toEqual(['aggregator', 'fetcher', 'gateway', 'importer', 'mailer', 'scheduler', 'start']);
  });

  it('starts a nats-server of its own without NATS_URL, serves GitHub offline, and stops both last on Ctrl-C', async () => {
    const storeDir = join(dir, 'own-nats', 'store');
    // NATS_PORT=0: any free port, so a nats-server already on 4222 (these machines run one) is left alone.
    const proc = await launch('own-nats', { NATS_PORT: '0', NATS_STORE_DIR: storeDir, GITHUB_API_URL: undefined, GITHUB_TOKEN: undefined }, ['--offline']);
    await proc.waitForOutput(EVERY_SERVICE_STARTED, 60_000);
    const [started] = logged(proc, 'nats-server started');
    const natsUrl = natsUrlOf(proc);
    expect(natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(started?.['storeDir']).toBe(storeDir);
    const githubApiUrl = String(logged(proc, 'offline: the GitHub fixture serves the searches')[0]?.['githubApiUrl']);
    expect(githubApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    await reportThrough(natsUrl, 'start-own-nats', join(dir, 'own-nats', 'media'));
    await access(join(storeDir, 'jetstream'));

    // A terminal's Ctrl-C reaches the launcher's process group; services and server are in groups of their own.
    expect(await proc.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(logged(proc, 'stopped').map((l) => l.service).sort()).toEqual(['aggregator', 'fetcher', 'gateway', 'importer', 'mailer', 'scheduler', 'start']);
    expect(await portOpen(natsUrl)).toBe(false);
    expect(await portOpen(githubApiUrl)).toBe(false);
  });

  it('runs every service in one process when there is no nats-server on PATH', async () => {
    const emptyPath = await mkdtemp(join(dir, 'path-'));
    const proc = await launch('memory', { PATH: emptyPath }, ['--report', 'week']);
    await proc.waitForOutput(REPORT_READY, 60_000);
    const [ready] = logged(proc, 'report ready');
    expect(proc.output()).toContain('in-process transport');
    // Sorted: each service has its own stdout stream, and a full pipe can hold one back behind another.
    expect(logged(proc, 'started').map((l) => `${l.service} ${l['natsUrl']}`).sort()).toEqual(
      ['aggregator', 'fetcher', 'gateway', 'importer', 'mailer', 'scheduler'].map((s) => `${s} memory`),
    );

    await expectGatewayServes(proc, String(ready?.['reportId']));
    const file = String(ready?.['file']);
    expect(file.startsWith(join(dir, 'memory', 'media'))).toBe(true);
    const since = /^github-hot-repos-(\d{4}-\d{2}-\d{2})\.csv$/.exec(basename(file))?.[1];
    expect(parse(await readFile(file), { relax_column_count: true })).toEqual(expectedRows(since!));

    expect(await proc.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(logged(proc, 'stopped').map((l) => l.service)).toEqual(['start']);
  });

  it('leaves no process behind when SIGKILLed mid-report, and the next start completes that report', async () => {
    // Pages answered after 3 s: the launcher dies while fetchers wait for them.
    const slowGithub = await startGithubFixture({ rateLimit: false, latencyMs: 3_000 });
    cleanups.push(() => slowGithub.stop());
    const mediaRoot = join(dir, 'killed', 'media');
    // The same store and media folder for both runs. A job the killed fetcher held goes out again after FETCHER_ACK_WAIT.
    const env = { GITHUB_API_URL: slowGithub.url, NATS_PORT: '0', NATS_STORE_DIR: join(dir, 'killed', 'store'), FETCHER_ACK_WAIT: '2s' };
    const killed = await launch('killed', env);
    await killed.waitForOutput(EVERY_SERVICE_STARTED, 60_000);
    const pids = startedPids(killed);
    expect(Object.keys(pids).sort()).toEqual(['aggregator', 'fetcher', 'gateway', 'importer', 'mailer', 'nats-server', 'scheduler']);
    await requestReport(natsUrlOf(killed), 'start-killed');
    await waitFor(() => slowGithub.stats().requests > 0, { timeoutMs: 30_000, what: 'a page to be asked for' });

    expect(await killed.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // A service may drain for up to 5 s against a broker that went with the launcher.
    await waitFor(async () => Object.keys(await stillRunning(pids)).length === 0, { timeoutMs: 10_000, what: `every process of ${JSON.stringify(pids)} to end` });

    slowGithub.setOptions({ latencyMs: 0 });
    const restarted = await launch('killed', env);
    await restarted.waitForOutput(EVERY_SERVICE_STARTED, 60_000);
    await expectReportFile(natsUrlOf(restarted), 'start-killed', mediaRoot);
    expect(await restarted.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('fails with exit code 1, naming the port and GATEWAY_PORT, when the gateway port is taken', async () => {
    const nats = await startNatsServer();
    cleanups.push(() => nats.stop());
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => holder.close(() => resolve())));
    const { port } = holder.address() as AddressInfo;

    const proc = await launch('port-taken', { NATS_URL: nats.url, GATEWAY_PORT: String(port) });
    expect((await proc.exited).code).toBe(1);
    const crash = logLines(proc.output()).find((line) => line.service === 'gateway' && line.msg === 'crashed');
    expect(crash?.['err']).toMatchObject({ code: 'GATEWAY_PORT_IN_USE', message: expect.stringMatching(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use.*GATEWAY_PORT`)) });
    expect(logged(proc, 'gateway stopped on its own: stopping the others')).toHaveLength(1);
    expect(await stillRunning(startedPids(proc))).toEqual({});
  });
});
