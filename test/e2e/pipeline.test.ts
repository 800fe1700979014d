/**
 * A report end to end, with services as separate processes: the CSV must equal what the fixture
 * data says, also when a fetcher is SIGKILLed or the aggregator restarts mid-report.
 */
import { downloadReport, waitForReport } from '@hotrepos/client';
import type { ReportFailed, ReportStatus } from '@hotrepos/contracts';
import { ReportStatusStore } from '@hotrepos/reports';
import { captureSubject, waitFor } from '@hotrepos/testing';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedRows } from './expected-report.js';
import { startPipeline, type Pipeline } from './pipeline-harness.js';

const since = '2026-11-20';
const request = (requestId: string) => JSON.stringify({ requestId, period: 'week', refDate: '2026-11-27' });

describe('report pipeline, end to end', { timeout: 180_000 }, () => {
  let pipeline: Pipeline | undefined;
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && pipeline) console.error(pipeline.logs());
    await pipeline?.stop();
    pipeline = undefined;
  });

  /** Publishes like an outsider would: a plain NATS client, no hotrepos code. */
  const publishPlain = async (p: Pipeline, body: string) => {
    const nc = await connect({ servers: p.nats.url });
    nc.publish('reports.request', body);
    await nc.flush();
    await nc.close();
  };

  const readReport = async (p: Pipeline, reportId: string) => {
    const seen: ReportStatus[] = [];
    const status = await waitForReport(p.client.transport, reportId, { timeoutMs: 60_000, onProgress: (s) => seen.push(s) });
    const onDisk = await readFile(status.file!.path);
    const stored = await downloadReport(p.client.transport, status);
    return { status, seen, onDisk, stored };
  };

  it('three fetchers produce the CSV the fixture data says, with progress on the way', async () => {
    pipeline = await startPipeline({ latencyMs: 50 });
    const p = pipeline;
    await Promise.all([p.start('aggregator'), p.start('importer'), p.start('fetcher'), p.start('fetcher'), p.start('fetcher')]);
    await publishPlain(p, request('e2e-1'));

    const { status, seen, onDisk, stored } = await readReport(p, 'e2e-1');
    expect(status.file).toMatchObject({ name: `github-hot-repos-${since}.csv`, bytes: onDisk.byteLength });
    expect(Buffer.from(stored).equals(onDisk)).toBe(true);
    expect(parse(onDisk, { relax_column_count: true })).toEqual(expectedRows(since));
    expect(seen.map((s) => s.state)).toContain('ready');
    expect(Math.max(...seen.map((s) => s.pagesDone))).toBe(5);
    expect(p.github.stats().requests).toBe(5);
  });

  it('a fetcher killed mid-report changes nothing in the CSV', async () => {
    pipeline = await startPipeline({ latencyMs: 1_500 });
    const p = pipeline;
    const [, , victim] = await Promise.all([p.start('aggregator'), p.start('importer'), p.start('fetcher', { FETCHER_CONCURRENCY: '5', FETCHER_ACK_WAIT: '3s' })]);
    await publishPlain(p, request('e2e-kill'));
    // The victim holds all five jobs in flight when it dies; its successor gets them after the ack wait.
    await waitFor(() => p.github.stats().requests >= 1, { what: 'the first GitHub request' });
    await victim.stop('SIGKILL');
    await p.start('fetcher', { FETCHER_ACK_WAIT: '3s' });

    const { onDisk } = await readReport(p, 'e2e-kill');
    expect(parse(onDisk, { relax_column_count: true })).toEqual(expectedRows(since));
    // Pages the victim had asked for were asked for again: the kill really was mid-report.
    expect(p.github.stats().requests).toBeGreaterThan(5);
  });

  it('an aggregator restarted mid-report still joins it once', async () => {
    pipeline = await startPipeline({ latencyMs: 400 });
    const p = pipeline;
    const statuses = await ReportStatusStore.open(p.client.transport);
    const aggregated = await captureSubject(p.nats.url, 'reports.aggregated');
    const [first] = await Promise.all([p.start('aggregator'), p.start('importer'), p.start('fetcher', { FETCHER_CONCURRENCY: '1' })]);
    await publishPlain(p, request('e2e-restart'));
    await waitFor(async () => ((await statuses.get('e2e-restart'))?.pagesDone ?? 0) >= 1, { what: 'a page joined' });
    await first.stop('SIGKILL');
    await p.start('aggregator');

    const { onDisk } = await readReport(p, 'e2e-restart');
    expect(parse(onDisk, { relax_column_count: true })).toEqual(expectedRows(since));
    expect(aggregated.messages).toHaveLength(1);
    await aggregated.stop();
  });

  it('GitHub 500s then success completes; a 422 fails the report with the reason', async () => {
    pipeline = await startPipeline({ faults: [{ match: { page: 2, times: 2 }, fault: 'status-500' }] });
    const p = pipeline;
    const failed = await captureSubject(p.nats.url, 'reports.failed');
    await Promise.all([p.start('aggregator'), p.start('importer'), p.start('fetcher')]);
    await publishPlain(p, request('e2e-500'));
    const { onDisk } = await readReport(p, 'e2e-500');
    expect(parse(onDisk, { relax_column_count: true })).toEqual(expectedRows(since));

    p.github.setOptions({ faults: [{ match: { page: 3 }, fault: 'status-422' }] });
    await publishPlain(p, JSON.stringify({ requestId: 'e2e-422', period: 'day', refDate: '2026-11-27' }));
    await expect(waitForReport(p.client.transport, 'e2e-422', { timeoutMs: 60_000 })).rejects.toMatchObject({ name: 'ReportFailedError' });
    await waitFor(() => failed.messages.length >= 1);
    expect(failed.payloads<ReportFailed>()[0]).toMatchObject({ reportId: 'e2e-422', stage: 'fetch', code: 'github_422' });
    await failed.stop();
  });
});
