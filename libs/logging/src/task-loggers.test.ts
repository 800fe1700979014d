import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withScope } from '@hotrepos/scope';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryDestination } from '../test/memory-destination.js';
import { TaskLoggersClosedError, createLogger, createTaskLoggers } from './index.js';

async function readLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createTaskLoggers', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotrepos-logging-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes each line to <logDir>/<service>.<task>.log and to the base destination', async () => {
    const destination = memoryDestination();
    const base = createLogger({ service: 'fetcher', destination });
    const logDir = join(dir, 'not', 'there', 'yet');
    const tasks = createTaskLoggers({ service: 'fetcher', logDir, base });

    withScope({ correlationId: 'c-1' }, () => {
      const log = tasks.forTask('reports.fetch').child({ reportId: 'r-1' });
      log.info({ page: 1 }, 'fetched');
      log.error({ err: new Error('rate limited'), token: 'secret' }, 'gave up');
    });
    await tasks.close();

    const written = await readLines(join(logDir, 'fetcher.reports.fetch.log'));
    expect(written).toEqual(destination.records());
    expect(written).toHaveLength(2);
    expect(written[0]).toMatchObject({ service: 'fetcher', task: 'reports.fetch', reportId: 'r-1', correlationId: 'c-1', page: 1, msg: 'fetched' });
    expect(written[1]).toMatchObject({ reportId: 'r-1', correlationId: 'c-1', token: '[redacted]', err: { message: 'rate limited' } });
  });

  it('keeps one logger and one file per task, with a file-safe name', async () => {
    const base = createLogger({ service: 'importer', destination: memoryDestination() });
    const tasks = createTaskLoggers({ service: 'importer', logDir: dir, base });

    expect(tasks.forTask('csv')).toBe(tasks.forTask('csv'));
    tasks.forTask('csv').info('one');
    tasks.forTask('a/b:c').info('two');
    await tasks.close();

    expect((await readdir(dir)).sort()).toEqual(['importer.a_b_c.log', 'importer.csv.log']);
    expect(await readLines(join(dir, 'importer.a_b_c.log'))).toEqual([expect.objectContaining({ task: 'a/b:c', msg: 'two' })]);
  });

  it("follows the base logger's level and bindings", async () => {
    const destination = memoryDestination();
    const base = createLogger({ service: 'aggregator', level: 'warn', destination }).child({ replica: 2 });
    const tasks = createTaskLoggers({ service: 'aggregator', logDir: dir, base });

    tasks.forTask('join').info('dropped');
    tasks.forTask('join').warn('kept');
    await tasks.close();

    expect(destination.records()).toEqual([expect.objectContaining({ service: 'aggregator', replica: 2, task: 'join', msg: 'kept' })]);
    expect(await readLines(join(dir, 'aggregator.join.log'))).toEqual(destination.records());
  });

  it('close() flushes every line written before it', async () => {
    const tasks = createTaskLoggers({ service: 'bench', logDir: dir, base: createLogger({ service: 'bench', destination: memoryDestination() }) });
    const log = tasks.forTask('burst');
    for (let n = 0; n < 5_000; n += 1) log.info({ n, padding: 'x'.repeat(200) }, 'line');
    await tasks.close();
    const written = await readLines(join(dir, 'bench.burst.log'));
    expect(written).toHaveLength(5_000);
    expect(written.at(-1)).toMatchObject({ n: 4_999 });
  });

  it('after close, keeps existing task loggers on the base destination and refuses new ones', async () => {
    const destination = memoryDestination();
    const tasks = createTaskLoggers({ service: 'mailer', logDir: dir, base: createLogger({ service: 'mailer', destination }) });
    const log = tasks.forTask('send');
    log.info('before');
    await tasks.close();
    await tasks.close();

    log.info('after');
    expect(destination.records().map((line) => line['msg'])).toEqual(['before', 'after']);
    expect(await readLines(join(dir, 'mailer.send.log'))).toEqual([expect.objectContaining({ msg: 'before' })]);
    expect(() => tasks.forTask('digest')).toThrow(TaskLoggersClosedError);
  });
});
