/**
 * The importer against a real nats-server: the CSV on disk byte for byte, its copy in the object
 * store, the announcement, the status, and the failure policy.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeDeadLetter } from '@hotrepos/bus';
import { ReportFailed, ReportReady, Subjects } from '@hotrepos/contracts';
import { waitFor } from '@hotrepos/testing';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregated, json, repo, startHarness, type Harness } from './harness.js';

const FAST_RETRIES = { IMPORTER_MAX_DELIVER: '3', IMPORTER_RETRY_BACKOFF: '50ms' };

/** Names and languages a spreadsheet or a naive writer gets wrong: quotes, commas, line breaks, formulas, non-ASCII. */
const trickyGroups = [
  { language: 'C "quoted", with comma', repos: [repo('torvalds/linux', { stars: 9 }), repo('a,b/"c"', { stars: 7 })] },
  {
    language: 'Formulas',
    repos: [
      repo('=cmd/calc', { description: '=HYPERLINK("http://evil.example")' }),
      repo('+plus/one'),
      repo('-dash/x'),
      repo('@at/sign'),
      repo('＝wide/eq'),
      repo('mid/=not-first'),
    ],
  },
  { language: 'Multi\nLine', repos: [repo('ünïcödé/日本語')] },
  { language: '\tTabbed', repos: [repo('tab/repo')] },
  { language: '\rReturn', repos: [repo('cr/repo')] },
  { language: 'No language', repos: [repo('plain/repo', { description: '@SUM(1+1)' })] },
];

// Built by hand from RFC 4180 and OWASP's rules, not by the library under test.
const expectedGrouped = [
  '"C ""quoted"", with comma",torvalds/linux,"a,b/""c"""',
  "Formulas,'=cmd/calc,'+plus/one,'-dash/x,'@at/sign,'＝wide/eq,mid/=not-first",
  '"Multi\nLine",ünïcödé/日本語',
  "'\tTabbed,tab/repo",
  '"\'\rReturn",cr/repo',
  'No language,plain/repo',
]
  .map((line) => `${line}\r\n`)
  .join('');

const expectedGroupedRows = [
  ['C "quoted", with comma', 'torvalds/linux', 'a,b/"c"'],
  ['Formulas', "'=cmd/calc", "'+plus/one", "'-dash/x", "'@at/sign", "'＝wide/eq", 'mid/=not-first'],
  ['Multi\nLine', 'ünïcödé/日本語'],
  ["'\tTabbed", 'tab/repo'],
  ["'\rReturn", 'cr/repo'],
  ['No language', 'plain/repo'],
];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('importer', () => {
  let media: string;
  let h: Harness;
  const start = async (env: Record<string, string> = {}) => {
    h = await startHarness({ MEDIA_ROOT: join(media, 'media'), ...env });
    return h;
  };
  const createStatus = (reportId: string) =>
    h.statuses.create({ reportId, state: 'importing', pagesDone: 1, pagesTotal: 1, period: 'week', since: '2026-11-20', updatedAt: new Date().toISOString() });

  beforeEach(async () => {
    media = await mkdtemp(join(tmpdir(), 'hotrepos-importer-'));
  });
  afterEach(async () => {
    await h?.close();
    await rm(media, { recursive: true, force: true });
  });

  it('writes the grouped CSV to MEDIA_ROOT and the object store, announces it and marks the report ready', async () => {
    await start();
    const ready = await h.collect(Subjects.ReportsReady);
    await createStatus('r-grouped');
    await h.bus.publish(Subjects.ReportsAggregated, aggregated('r-grouped', trickyGroups));

    await waitFor(() => ready.length === 1, { what: 'reports.ready' });
    const { reportId, file } = ReportReady.parse(json(ready[0]!));
    const path = join(media, 'media', 'r-grouped', 'github-hot-repos-2026-11-20.csv');
    expect(reportId).toBe('r-grouped');
    expect(ready[0]!.headers['Nats-Msg-Id']).toEqual(['r-grouped:ready']);

    const onDisk = await readFile(path);
    expect(onDisk.toString('utf8')).toBe(expectedGrouped);
    expect(onDisk.equals(Buffer.from(expectedGrouped, 'utf8'))).toBe(true);
    expect(parse(onDisk, { relax_column_count: true, record_delimiter: '\r\n' })).toEqual(expectedGroupedRows);

    expect(file).toEqual({
      name: 'github-hot-repos-2026-11-20.csv',
      bytes: onDisk.byteLength,
      sha256: sha256(onDisk),
      objectKey: 'r-grouped/github-hot-repos-2026-11-20.csv',
      path,
    });
    expect(Buffer.from((await h.readObject(file.objectKey))!).equals(onDisk)).toBe(true);
    expect(await readdir(join(media, 'media', 'r-grouped'))).toEqual(['github-hot-repos-2026-11-20.csv']);

    const status = await waitFor(async () => {
      const s = await h.statuses.get('r-grouped');
      return s?.state === 'ready' && s;
    });
    expect(status.file).toEqual(file);
  });

  it('writes one row per repository under a header with REPORT_FORMAT=detailed', async () => {
    await start({ REPORT_FORMAT: 'detailed' });
    const ready = await h.collect(Subjects.ReportsReady);
    const groups = [
      { language: 'C "quoted", with comma', repos: [repo('torvalds/linux', { stars: 9, htmlUrl: 'https://github.com/torvalds/linux' })] },
      { language: 'No language', repos: [repo('-dash/x', { stars: 0, htmlUrl: 'https://github.com/-dash/x' }), repo('a,b/"c"', { stars: 12, htmlUrl: 'https://github.com/a/b?x=1,2' })] },
    ];
    await h.bus.publish(Subjects.ReportsAggregated, aggregated('r-detailed', groups));
    await waitFor(() => ready.length === 1, { what: 'reports.ready' });
    const { file } = ReportReady.parse(json(ready[0]!));

    const expected = [
      'language,name,stars,url',
      '"C ""quoted"", with comma",torvalds/linux,9,https://github.com/torvalds/linux',
      "No language,'-dash/x,0,https://github.com/-dash/x",
      'No language,"a,b/""c""",12,"https://github.com/a/b?x=1,2"',
    ]
      .map((line) => `${line}\r\n`)
      .join('');
    const onDisk = await readFile(file.path);
    expect(onDisk.toString('utf8')).toBe(expected);
    expect(parse(onDisk, { record_delimiter: '\r\n' })).toEqual([
      ['language', 'name', 'stars', 'url'],
      ['C "quoted", with comma', 'torvalds/linux', '9', 'https://github.com/torvalds/linux'],
      ['No language', "'-dash/x", '0', 'https://github.com/-dash/x'],
      ['No language', 'a,b/"c"', '12', 'https://github.com/a/b?x=1,2'],
    ]);
    expect(file.sha256).toBe(sha256(onDisk));
  });

  it('handles a repeated reports.aggregated again but announces the report once', async () => {
    await start();
    const ready = await h.collect(Subjects.ReportsReady);
    await createStatus('r-twice');
    const report = aggregated('r-twice', trickyGroups);
    await h.bus.publish(Subjects.ReportsAggregated, report);
    await waitFor(() => ready.length === 1, { what: 'reports.ready' });
    const { file } = ReportReady.parse(json(ready[0]!));
    const first = await stat(file.path);

    // Without a msg id the stream keeps both copies: the importer sees the report twice, as after a redelivery.
    await h.bus.publish(Subjects.ReportsAggregated, report);
    const imported = () => h.logs.filter((l) => l.msg === 'report imported');
    await waitFor(() => imported().length === 2, { what: 'the second import' });
    await sleep(300);

    expect(ready).toHaveLength(1);
    expect(imported().map((l) => l['announcedBefore'])).toEqual([false, true]);
    const second = await stat(file.path);
    expect(second.ino).not.toBe(first.ino);
    expect((await readFile(file.path)).toString('utf8')).toBe(expectedGrouped);
    expect((await h.statuses.get('r-twice'))?.file).toEqual(file);
  });

  it('leaves a final status alone', async () => {
    await start();
    const ready = await h.collect(Subjects.ReportsReady);
    const error = { stage: 'aggregate' as const, code: 'deadline_exceeded', message: 'too slow' };
    await h.statuses.create({ reportId: 'r-late', state: 'failed', error, pagesDone: 1, pagesTotal: 1, updatedAt: new Date().toISOString() });
    await h.bus.publish(Subjects.ReportsAggregated, aggregated('r-late', trickyGroups));
    await waitFor(() => ready.length === 1, { what: 'reports.ready' });
    await waitFor(() => h.logs.some((l) => l.msg === 'report imported'));
    expect(await h.statuses.get('r-late')).toMatchObject({ state: 'failed', error });
  });

  it('retries a MEDIA_ROOT it cannot write to, then dead-letters the message, fails the report and keeps running', async () => {
    // A regular file where the folder should be: unwritable even for root, and easy to remove later.
    await writeFile(join(media, 'media'), 'not a directory');
    await start(FAST_RETRIES);
    const [dlq, failed, ready] = await Promise.all([h.collect('dlq.reports.aggregated'), h.collect(Subjects.ReportsFailed), h.collect(Subjects.ReportsReady)]);
    await createStatus('r-blocked');
    await h.bus.publish(Subjects.ReportsAggregated, aggregated('r-blocked', trickyGroups));

    await waitFor(() => dlq.length === 1 && failed.length === 1, { what: 'a dead letter and reports.failed' });
    const letter = decodeDeadLetter(dlq[0]!.data, dlq[0]!.headers);
    expect(letter).toMatchObject({ subject: Subjects.ReportsAggregated, reason: 'max-deliveries', deliveries: 3 });
    expect(letter.error).toMatch(/cannot write report file .*r-blocked\/github-hot-repos-2026-11-20\.csv/);
    expect(ReportFailed.parse(json(failed[0]!))).toMatchObject({ reportId: 'r-blocked', stage: 'import', code: 'import_failed' });
    expect(failed[0]!.headers['Nats-Msg-Id']).toEqual(['r-blocked:failed']);
    expect(h.logs.filter((l) => l.msg === 'handler failed; will retry')).toHaveLength(2);
    expect(ready).toHaveLength(0);
    expect((await h.statuses.get('r-blocked'))?.state).toBe('importing');

    await rm(join(media, 'media'));
    await h.bus.publish(Subjects.ReportsAggregated, aggregated('r-after', trickyGroups));
    await waitFor(() => ready.length === 1, { what: 'the next report' });
    expect(ReportReady.parse(json(ready[0]!)).reportId).toBe('r-after');
  });

  it('dead-letters a malformed reports.aggregated at once', async () => {
    await start(FAST_RETRIES);
    const dlq = await h.collect('dlq.reports.aggregated');
    const encode = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
    await h.transport.publish(Subjects.ReportsAggregated, encode('{"reportId": "r-broken"'));
    await h.transport.publish(Subjects.ReportsAggregated, encode({ reportId: 'r-broken', since: '2026-02-30', period: 'week', groups: [] }));
    await h.transport.publish(Subjects.ReportsAggregated, encode({ reportId: '../escape', since: '2026-11-20', period: 'week', groups: [] }));

    await waitFor(() => dlq.length === 3, { what: 'three dead letters' });
    const letters = dlq.map((d) => decodeDeadLetter(d.data, d.headers));
    expect(letters.map((l) => [l.reason, l.deliveries])).toEqual([
      ['invalid-json', 1],
      ['contract-violation', 1],
      ['contract-violation', 1],
    ]);
    expect(await readdir(media)).toEqual([]);
  });
});
