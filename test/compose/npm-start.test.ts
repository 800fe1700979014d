/**
 * `npm start` in each of its three ways of finding a broker: NATS_URL, a nats-server it starts
 * itself, and none at all (every service in one process on the in-process transport). Each run
 * produces a report from the GitHub fixture and stops cleanly with exit code 0.
 *
 * The root script's command is run as npm would run it, minus npm: npm 10 and 11 do not pass a
 * SIGTERM on to the script (npm/cli#6684), so only a signal to the launcher itself tests its own
 * shutdown.
 */
import { NatsTransport } from '@hotrepos/bus';
import { waitForReport } from '@hotrepos/client';
import { startGithubFixture, type GithubFixture } from '@hotrepos/github-fixture';
import { startNatsServer, startProcess, type RunningProcess } from '@hotrepos/testing';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse/sync';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
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
  let launcher: RunningProcess | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotrepos-start-'));
    github = await startGithubFixture({ rateLimit: false });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && launcher) console.error(launcher.output().slice(-6000));
    await launcher?.stop('SIGKILL');
    launcher = undefined;
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
    launcher = startProcess({
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
    return launcher;
  }

  /** Asks like an outsider (a plain NATS client), then waits for the file. */
  async function reportThrough(natsUrl: string, requestId: string, mediaRoot: string): Promise<void> {
    const nc = await connect({ servers: natsUrl });
    nc.publish('reports.request', JSON.stringify({ requestId, period: 'week', refDate: '2026-11-27' }));
    await nc.flush();
    await nc.close();
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

  it('starts a nats-server of its own without NATS_URL, and stops it last on Ctrl-C', async () => {
    const storeDir = join(dir, 'own-nats', 'store');
    // NATS_PORT=0: any free port, so a nats-server already on 4222 (these machines run one) is left alone.
    const proc = await launch('own-nats', { NATS_PORT: '0', NATS_STORE_DIR: storeDir });
    await proc.waitForOutput(EVERY_SERVICE_STARTED, 60_000);
    const [started] = logged(proc, 'nats-server started');
    const natsUrl = String(started?.['natsUrl']);
    expect(natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(started?.['storeDir']).toBe(storeDir);

    await reportThrough(natsUrl, 'start-own-nats', join(dir, 'own-nats', 'media'));
    await access(join(storeDir, 'jetstream'));

    // A terminal's Ctrl-C reaches the launcher's process group; services and server are in groups of their own.
    expect(await proc.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(logged(proc, 'stopped').map((l) => l.service).sort()).toEqual(['aggregator', 'fetcher', 'gateway', 'importer', 'mailer', 'scheduler', 'start']);
    expect(await portOpen(natsUrl)).toBe(false);
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
});
