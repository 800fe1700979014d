/**
 * `docker compose up` on a fresh clone (no `.env`), without a Docker engine: each app is bundled by
 * the Dockerfile's own esbuild command, with the build arguments Compose passes, and run as the
 * image would run it, `node main.mjs` in the bundle's folder with exactly the environment Compose
 * resolves for its service, as many processes as its replicas.
 * Only what the containers would reach by name is swapped for real servers here: nats and mailpit
 * for a test nats-server and SMTP server, the volumes for temp folders, GitHub for the fixture.
 */
import { downloadReport, waitForReport } from '@hotrepos/client';
import { NatsTransport } from '@hotrepos/bus';
import type { ReportReady } from '@hotrepos/contracts';
import { startGithubFixture, type GithubFixture } from '@hotrepos/github-fixture';
import { startSmtpServer, type SmtpTestServer } from '@hotrepos/smtp-testing';
import { captureSubject, freePort, startNatsServer, startProcess, waitFor, type NatsServer, type RunningProcess } from '@hotrepos/testing';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse/sync';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectedRows } from '../e2e/expected-report.js';
import { APP_SERVICES, bundle, composeConfig, hasDockerCompose, readDockerfile, repoRoot, type ComposeConfig, type ComposeService } from './compose-project.js';

const canRunCompose = (await hasDockerCompose()) || process.env['CI'] !== undefined;
if (!canRunCompose) console.warn('docker-compose is not installed: skipping the Compose simulation (apt-get install docker-compose)');

/** The environment Compose gives a container, with every name of the Compose network replaced by a real address. */
function containerEnv(service: ComposeService, runtimeEnv: Readonly<Record<string, string>>, real: ReadonlyMap<string, string>): Record<string, string> {
  const env: Record<string, string> = { ...runtimeEnv };
  for (const [key, value] of Object.entries(service.environment ?? {})) env[key] = real.get(value) ?? value;
  return env;
}

describe.runIf(canRunCompose)('the compose services, from their Dockerfile bundles', () => {
  let dir: string;
  let nats: NatsServer;
  let smtp: SmtpTestServer;
  let github: GithubFixture;
  const processes: RunningProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotrepos-compose-run-'));
    [nats, smtp, github] = await Promise.all([startNatsServer(), startSmtpServer(), startGithubFixture({ rateLimit: false })]);
  });

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') console.error(processes.map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join('\n'));
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await github?.stop();
    await smtp?.stop();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('produce a report for a request from a plain NATS client, and stop on SIGTERM', async () => {
    const config: ComposeConfig = await composeConfig();
    const real = new Map([
      ['nats://nats:4222', nats.url],
      ['smtp://mailpit:1025', smtp.url],
      ['/data/media', join(dir, 'media')],
      ['/data/logs', join(dir, 'logs')],
    ]);

    const gatewayPort = await freePort();
    const images = await Promise.all(
      APP_SERVICES.map(async (name) => {
        const build = config.buildOf(name);
        const dockerfile = await readDockerfile(build.dockerfile, build.args);
        const main = join(dir, 'images', name, 'main.mjs');
        await bundle(dockerfile, main);
        // The gateway's image has its page beside the bundle (the app's `public/`); it listens on loopback here, not the container's 3000.
        if (name === 'gateway') await cp(join(repoRoot, 'apps', 'gateway', 'public'), join(dirname(main), 'public'), { recursive: true });
        const ports = name === 'gateway' ? { GATEWAY_PORT: String(gatewayPort), GATEWAY_HOST: '127.0.0.1' } : {};
        const env = { ...containerEnv(config.services[name]!, dockerfile.runtimeEnv, real), GITHUB_API_URL: github.url, ...ports };
        return { name, dockerfile, main, env, replicas: config.services[name]!.deploy?.replicas ?? 1 };
      }),
    );
    // Every address a container would reach by its Compose name must have been swapped above.
    const unresolved = images.flatMap(({ env }) => Object.values(env).filter((v) => /\/\/(nats|mailpit)[:/]|^\/data\//.test(v)));
    expect(unresolved).toEqual([]);
    expect(images.find((i) => i.name === 'fetcher')?.replicas).toBe(3);

    // Nothing of this process's environment leaks in: a container starts with its image's ENV and Compose's environment only.
    const nothingInherited = Object.fromEntries(Object.keys(process.env).map((key) => [key, undefined]));
    for (const { name, dockerfile, main, env, replicas } of images) {
      for (let replica = 1; replica <= replicas; replica++) {
        const [command = 'node', ...args] = dockerfile.cmd;
        expect(command).toBe('node');
        processes.push(
          startProcess({ name: `${name}-${replica}`, command: process.execPath, args, cwd: dirname(main), env: { ...nothingInherited, ...env } }),
        );
      }
    }
    await Promise.all(processes.map((p) => p.waitForOutput('"msg":"started"', 30_000)));
    const gateway = `http://127.0.0.1:${gatewayPort}`;
    const readyz = await fetch(`${gateway}/readyz`);
    expect({ status: readyz.status, body: await readyz.json() }).toEqual({ status: 200, body: { status: 'ready' } });
    expect((await fetch(`${gateway}/`)).headers.get('content-type')).toMatch(/^text\/html/);

    const ready = await captureSubject(nats.url, 'reports.ready');
    const nc = await connect({ servers: nats.url });
    nc.publish('reports.request', JSON.stringify({ requestId: 'compose-1', period: 'week', refDate: '2026-11-27' }));
    await nc.flush();
    await nc.close();

    const client = await NatsTransport.connect({ servers: nats.url, name: 'compose-client' });
    try {
      const status = await waitForReport(client, 'compose-1', { timeoutMs: 60_000 });
      expect(status.file?.path).toBe(join(dir, 'media', 'compose-1', 'github-hot-repos-2026-11-20.csv'));
      const onDisk = await readFile(status.file!.path);
      expect(parse(onDisk, { relax_column_count: true })).toEqual(expectedRows('2026-11-20'));
      expect(Buffer.from(await downloadReport(client, status)).equals(onDisk)).toBe(true);
      await waitFor(() => ready.payloads<ReportReady>().some((r) => r.reportId === 'compose-1'), { what: 'reports.ready for compose-1' });
      const file = await fetch(`${gateway}/api/reports/compose-1/file`);
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(onDisk)).toBe(true);
      // Without `.env` Compose passes GITHUB_TOKEN empty; the fetchers count it as unset and search anonymously.
      expect(config.services['fetcher']?.environment?.['GITHUB_TOKEN']).toBe('');
      expect(github.stats().log.filter((request) => request.token !== undefined)).toEqual([]);
    } finally {
      await client.close();
      await ready.stop();
    }

    const exits = await Promise.all(processes.map(async (p) => ({ name: p.name, ...(await p.stop('SIGTERM')) })));
    expect(exits).toEqual(processes.map((p) => ({ name: p.name, code: 0, signal: null })));
  });
});
