/**
 * How the fetcher meets GitHub's failures: transient ones are retried by the bus until they pass
 * (or fail the report on the last delivery); client errors fail the report at once.
 */
import { decodeDeadLetter } from '@hotrepos/bus';
import type { ReportFailed, ReportPage } from '@hotrepos/contracts';
import { waitFor } from '@hotrepos/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedItems, job, startHarness, type Harness } from './harness.js';

describe('fetcher failures', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('retries 500s and completes once GitHub answers', async () => {
    h = await startHarness({ faults: [{ match: { page: 1, times: 2 }, fault: 'status-500' }] });
    await h.startFetcher();
    await h.client.publish('reports.fetch', job('five-hundred'));
    await waitFor(() => h.pages.messages.length === 1, { what: 'a page' });

    expect(h.pages.payloads<ReportPage>()[0]!.items).toEqual(expectedItems(job('five-hundred')));
    expect(h.github.stats().byStatus).toEqual({ 200: 1, 500: 2 });
    await sleep(200);
    expect(h.failures.messages).toHaveLength(0);
    expect(h.deadLetters.messages).toHaveLength(0);
  });

  it('retries a reset connection and a malformed body', async () => {
    h = await startHarness({
      faults: [
        { match: { page: 1 }, fault: 'connection-reset' },
        { match: { page: 2 }, fault: 'malformed-json' },
      ],
    });
    await h.startFetcher();
    await h.client.publish('reports.fetch', job('flaky', 1));
    await h.client.publish('reports.fetch', job('flaky', 2));
    await waitFor(() => h.pages.messages.length === 2, { what: 'two pages' });

    const pages = h.pages.payloads<ReportPage>().sort((a, b) => a.page - b.page);
    expect(pages.map((p) => p.items)).toEqual([expectedItems(job('flaky', 1)), expectedItems(job('flaky', 2))]);
    expect(h.github.stats()).toMatchObject({ requests: 4, faultHits: [1, 1] });
    expect(h.failures.messages).toHaveLength(0);
  });

  it('retries a body that stalls past the body timeout', async () => {
    h = await startHarness({ faults: [{ match: { page: 1 }, fault: 'slow-body', slowBodyMs: 3_000 }] });
    await h.startFetcher({ GITHUB_BODY_TIMEOUT: '300ms' });
    await h.client.publish('reports.fetch', job('slow'));
    await waitFor(() => h.pages.messages.length === 1, { what: 'a page' });

    expect(h.pages.payloads<ReportPage>()[0]!.items).toEqual(expectedItems(job('slow')));
    expect(h.github.stats()).toMatchObject({ requests: 2, faultHits: [1] });
  });

  it('fails the report on a 422 with GitHub’s message, and dead-letters the job, exactly once', async () => {
    h = await startHarness({ faults: [{ match: { page: 3 }, fault: 'status-422' }] });
    await h.startFetcher();
    await h.client.publish('reports.fetch', job('rejected', 3));
    await waitFor(() => h.failures.messages.length === 1 && h.deadLetters.messages.length === 1, { what: 'a failure and a dead letter' });
    await sleep(500);

    expect(h.failures.payloads<ReportFailed>()).toEqual([{ reportId: 'rejected', stage: 'fetch', code: 'github_422', message: 'Validation Failed' }]);
    expect(h.deadLetters.messages).toHaveLength(1);
    const letter = decodeDeadLetter(h.deadLetters.messages[0]!.data, h.deadLetters.messages[0]!.headers);
    expect(letter).toMatchObject({ subject: 'reports.fetch', reason: 'unrecoverable', deliveries: 1 });
    expect(h.github.stats().requests).toBe(1);
    expect(h.pages.messages).toHaveLength(0);
  });

  it('fails the report on the last delivery when GitHub stays unavailable', async () => {
    h = await startHarness({ faults: [{ match: { page: 1, times: Infinity }, fault: 'status-502' }] });
    await h.startFetcher({ FETCHER_MAX_DELIVER: '3' });
    await h.client.publish('reports.fetch', job('down'));
    await waitFor(() => h.failures.messages.length === 1 && h.deadLetters.messages.length === 1, { what: 'a failure and a dead letter' });
    await sleep(500);

    const [failure] = h.failures.payloads<ReportFailed>();
    expect(failure).toMatchObject({ reportId: 'down', stage: 'fetch', code: 'github_unavailable' });
    expect(failure!.message).toMatch(/502/);
    const letter = decodeDeadLetter(h.deadLetters.messages[0]!.data, h.deadLetters.messages[0]!.headers);
    expect(letter).toMatchObject({ reason: 'max-deliveries', deliveries: 3 });
    expect(h.github.stats().byStatus).toEqual({ 502: 3 });
  });
});
