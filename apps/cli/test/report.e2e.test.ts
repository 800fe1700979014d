/**
 * `hotrepos report --wait --out` against the real pipeline: a nats-server, the GitHub fixture, and the
 * aggregator, a fetcher and the importer each as its own process, as in production. Once in process
 * through the command module, once as a real process through the root `npm run hotrepos` script.
 */
import { NatsTransport } from '@hotrepos/bus';
import { ObjectStores, type ReportStatus } from '@hotrepos/contracts';
import { startGithubFixture, type GithubFixture } from '@hotrepos/github-fixture';
import { sinceDate } from '@hotrepos/reports';
import { repoRoot, startNatsServer, startProcess, startServiceProcess, type NatsServer, type RunningProcess } from '@hotrepos/testing';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../src/commands/report.js';
import { ExitCode } from '../src/exit-codes.js';
import { memoryIo } from './memory-io.js';

// A day whose search the fixture refuses with 422: the report fails at the fetch stage.
const REJECTED_REF_DATE = '2026-06-15';

interface ReportJson {
  readonly reportId: string;
  readonly duplicate: boolean;
  readonly status: ReportStatus;
  readonly out?: string;
}

describe('hotrepos report against the pipeline', () => {
  let nats: NatsServer;
  let github: GithubFixture;
  let dir: string;
  let transport: NatsTransport;
  const services: RunningProcess[] = [];

  const storedFile = async (status: ReportStatus) => {
    const bytes = await (await transport.objectStore(ObjectStores.Reports)).get(status.file?.objectKey ?? '');
    return Buffer.from(bytes ?? []);
  };

  beforeAll(async () => {
    nats = await startNatsServer();
    github = await startGithubFixture({
      rateLimit: false,
      faults: [{ match: { since: sinceDate('day', REJECTED_REF_DATE), times: Infinity }, fault: 'status-422' }],
    });
    dir = await mkdtemp(join(tmpdir(), 'hotrepos-cli-'));
    for (const name of ['aggregator', 'fetcher', 'importer']) {
      services.push(
        startServiceProcess(name, {
          env: { NATS_URL: nats.url, GITHUB_API_URL: github.url, GITHUB_TOKEN: 'cli-token', MEDIA_ROOT: join(dir, 'media'), LOG_DIR: join(dir, 'logs'), FETCHER_RETRY_INITIAL: '50ms' },
        }),
      );
    }
    await Promise.all(services.map((s) => s.waitForOutput('"msg":"started"')));
    transport = await NatsTransport.connect({ servers: nats.url, name: 'cli-e2e' });
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop('SIGTERM')));
    await transport?.close();
    await github?.stop();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('waits for the report and saves the file the object store holds', async () => {
    const out = join(dir, 'week.csv');
    const io = memoryIo();
    const code = await reportCommand({ nats: nats.url, period: 'week', date: '2026-11-27', requestId: 'cli-e2e-week', out, json: true, timeout: '60s' }, io);
    expect(code, io.stderr() + services.map((s) => s.output().slice(-2000)).join('\n')).toBe(ExitCode.Ok);

    const result = io.json<ReportJson>();
    expect(result).toMatchObject({ reportId: 'cli-e2e-week', duplicate: false, out, status: { state: 'ready', pagesDone: 5, pagesTotal: 5, since: '2026-11-20' } });
    const saved = await readFile(out);
    expect(saved.byteLength).toBe(result.status.file?.bytes);
    expect(saved.equals(await storedFile(result.status))).toBe(true);
    // Written through a temporary file that is gone now.
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('follows an earlier request with the same --request-id, printing plain progress lines', async () => {
    const io = memoryIo();
    expect(await reportCommand({ nats: nats.url, period: 'week', date: '2026-11-27', requestId: 'cli-e2e-week', wait: true }, io)).toBe(ExitCode.Ok);
    expect(io.stdout()).toMatch(/^cli-e2e-week\nready: github-hot-repos-2026-11-20\.csv, \d+ bytes, sha256 [0-9a-f]{64}\n$/);
    expect(io.stderr()).toBe('report cli-e2e-week was requested before with this --request-id; following that one\nready 5/5 pages\n');
  });

  it('exits 1 with the stage, code and message of a failed report', async () => {
    const io = memoryIo();
    expect(await reportCommand({ nats: nats.url, period: 'day', date: REJECTED_REF_DATE, requestId: 'cli-e2e-rejected', wait: true, timeout: '60s' }, io)).toBe(ExitCode.Failed);
    expect(io.stderr()).toMatch(/hotrepos: report cli-e2e-rejected failed at fetch: .+ \(github_422\)\n$/);
  });

  it('runs as a real process through `npm run hotrepos`, saving into a folder', async () => {
    const cli = startProcess({
      name: 'npm run hotrepos',
      command: 'npm',
      args: ['run', '--silent', 'hotrepos', '--', 'report', '--period', 'day', '--date', '2026-11-27', '--request-id', 'cli-e2e-process', '--out', dir, '--json', '--nats', nats.url],
      cwd: repoRoot,
    });
    const { code } = await cli.exited;
    expect(code, cli.output()).toBe(ExitCode.Ok);
    const result = JSON.parse(cli.output()) as ReportJson;
    expect(result.out).toBe(join(dir, 'github-hot-repos-2026-11-26.csv'));
    expect((await readFile(join(dir, 'github-hot-repos-2026-11-26.csv'))).equals(await storedFile(result.status))).toBe(true);

    // And the `hotrepos` bin, from another folder.
    const status = startProcess({ name: 'hotrepos status', command: join(repoRoot, 'node_modules', '.bin', 'hotrepos'), args: ['status', 'cli-e2e-process', '--nats', nats.url], cwd: dir });
    expect((await status.exited).code, status.output()).toBe(ExitCode.Ok);
    expect(status.output()).toMatch(/^report cli-e2e-process: ready 5\/5 pages, day since 2026-11-26/);
  });
});
