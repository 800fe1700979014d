/**
 * Failures of a service process reach `errors.report`: dead letters, uncaught exceptions and
 * unhandled rejections (then the process exits 1); a service that opts out reports nothing.
 * A service whose launcher is gone stops by itself, within a deadline.
 */
import { NatsTransport } from '@hotrepos/bus';
import type { ErrorReport } from '@hotrepos/contracts';
import { captureSubject, startNatsServer, startProcess, waitFor, type NatsServer } from '@hotrepos/testing';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHotBus, errorFingerprint, type HotBus } from '../src/index.js';

const fixture = join(import.meta.dirname, 'fixtures', 'failing-service.ts');

describe('runService failure reporting', () => {
  let nats: NatsServer;
  let client: HotBus;
  let logDir: string;
  beforeAll(async () => {
    nats = await startNatsServer();
    client = await createHotBus(await NatsTransport.connect({ servers: nats.url }), { service: 'test' });
    logDir = await mkdtemp(join(tmpdir(), 'hotrepos-runtime-'));
  });
  afterAll(async () => {
    await client.transport.close();
    await nats.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  const run = (env: Record<string, string>) =>
    startProcess({
      name: 'failing-service',
      command: process.execPath,
      args: ['--conditions=@hotrepos/source', '--import', 'tsx', fixture],
      env: { NATS_URL: nats.url, LOG_DIR: logDir, ...env },
    });

  it.each([
    ['crash', /uncaughtException: boom in a timer/],
    ['rejection', /unhandledRejection: nobody awaited me/],
  ])('a %s is reported, then the process exits 1', async (failure, message) => {
    const errors = await captureSubject(nats.url, 'errors.report');
    const proc = run({ FAILURE: failure });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    await waitFor(() => errors.messages.length === 1, { what: 'the crash report' });
    const [report] = errors.payloads<ErrorReport>();
    expect(report).toMatchObject({ service: 'failing', message: expect.stringMatching(message) });
    expect(report!.stack).toMatch(/failing-service\.ts/);
    expect(proc.output()).toMatch(/"level":60.*crashed/);
    await errors.stop();
  });

  it('a dead-lettered message is reported, and the service keeps running', async () => {
    const errors = await captureSubject(nats.url, 'errors.report');
    const proc = run({});
    await proc.waitForOutput('"msg":"started"');
    await client.publish('reports.fetch', { reportId: 'r-1', since: '2026-11-20', page: 2, perPage: 100 });
    await client.publish('reports.fetch', { reportId: 'r-2', since: '2026-11-20', page: 3, perPage: 100 });
    await waitFor(() => errors.messages.length === 2, { what: 'two error reports' });
    const reports = errors.payloads<ErrorReport>();
    expect(reports[0]).toMatchObject({ service: 'failing', subject: 'reports.fetch', message: 'unrecoverable: page 2 of r-1 cannot be fetched' });
    // The same failure on another report is the same error for the admins' digest.
    expect(reports[1]!.fingerprint).toBe(reports[0]!.fingerprint);
    expect((await proc.stop('SIGTERM')).code).toBe(0);
    await errors.stop();
  });

  it('a service that opts out reports nothing', async () => {
    const errors = await captureSubject(nats.url, 'errors.report');
    const proc = run({ REPORT_ERRORS: 'false', FAILURE: 'crash' });
    expect((await proc.exited).code).toBe(1);
    await sleep(300);
    expect(errors.messages).toHaveLength(0);
    await errors.stop();
  });
});

describe('runService when the process that started it is gone', () => {
  let nats: NatsServer;
  let logDir: string;
  beforeAll(async () => {
    nats = await startNatsServer();
    logDir = await mkdtemp(join(tmpdir(), 'hotrepos-runtime-'));
  });
  afterAll(async () => {
    await nats.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  /** Started as a launcher starts it, with an IPC channel; `disconnect()` closes it as the launcher's death would. */
  async function launched(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--conditions=@hotrepos/source', '--import', 'tsx', fixture], {
      env: { ...process.env, NATS_URL: nats.url, LOG_DIR: logDir, SERVICE_NAME: 'orphan', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await waitFor(() => output.includes('"msg":"started"'), { timeoutMs: 30_000, what: 'the service to start' });
    return { child, exited, output: () => output };
  }

  it('drains and exits 0', async () => {
    const service = await launched({});
    service.child.disconnect();
    const [code] = await service.exited;
    expect(code, service.output()).toBe(0);
    expect(service.output()).toMatch(/"parent":"gone","msg":"stopping"[\s\S]*"msg":"stopped"/);
  });

  it('exits 1 when the drain outlasts the deadline', async () => {
    const service = await launched({ FAILURE: 'stuck-stop' });
    const gone = Date.now();
    service.child.disconnect();
    const [code] = await service.exited;
    expect(code, service.output()).toBe(1);
    expect(Date.now() - gone).toBeGreaterThanOrEqual(4_500);
    expect(service.output()).toContain('not stopped in time after the parent process went: exiting');
  });
});

describe('errorFingerprint', () => {
  it('masks ids, numbers, uuids and quoted values but keeps the shape', () => {
    const a = errorFingerprint(['fetcher', 'reports.fetch', 'page 2 of "2026-11-27-5" failed: 503']);
    expect(errorFingerprint(['fetcher', 'reports.fetch', 'page 4 of "other" failed: 502'])).toBe(a);
    expect(errorFingerprint(['fetcher', 'reports.fetch', 'report 0c0e3f1a-1111-4222-8333-944445555666 gone'])).toBe(errorFingerprint(['fetcher', 'reports.fetch', 'report 1d0e3f1a-1111-4222-8333-944445555666 gone']));
    expect(errorFingerprint(['importer', 'reports.fetch', 'page 2 of "x" failed: 503'])).not.toBe(a);
    expect(errorFingerprint(['fetcher', 'reports.fetch', 'timeout'])).not.toBe(a);
  });
});
