/**
 * GitHub's rate limit against the fixture's budget: the fetcher waits for the reset the server
 * names, in-process (no delivery spent), and sends nothing early or over the budget.
 */
import type { ReportPage } from '@hotrepos/contracts';
import type { RequestLogEntry } from '@hotrepos/github-fixture';
import { waitFor } from '@hotrepos/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedItems, job, startHarness, type Harness } from './harness.js';

const WINDOW_MS = 1_500;
const LIMIT = 2;
const CONCURRENCY = 4;
// Keeps the burst of held requests well behind the first answer, so a request sent too early would show.
const LATENCY_MS = 200;

/** The fixture's windows: one opens with the first request after the previous one ended. */
function windows(log: readonly RequestLogEntry[]): { start: number; end: number; requests: RequestLogEntry[] }[] {
  const result: { start: number; end: number; requests: RequestLogEntry[] }[] = [];
  for (const request of [...log].sort((a, b) => a.at - b.at)) {
    let current = result.at(-1);
    if (!current || request.at >= current.end) {
      current = { start: request.at, end: request.at + WINDOW_MS, requests: [] };
      result.push(current);
    }
    current.requests.push(request);
  }
  return result;
}

describe('fetcher under a rate limit', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it.each([403, 429] as const)('waits out a %i until the reset, sending nothing early and spending no delivery', async (status) => {
    h = await startHarness({ rateLimit: { anonymous: LIMIT, windowMs: WINDOW_MS }, rateLimitStatus: status, latencyMs: LATENCY_MS });
    const jobs = [1, 2, 3, 4, 5, 6].map((page) => job('limited', page, 10));
    for (const j of jobs) await h.client.publish('reports.fetch', j);
    // Someone else spends the window's budget first, so the fetcher's first request meets a rate-limit answer.
    for (let i = 0; i < LIMIT; i++) await (await fetch(`${h.github.url}/search/repositories?q=created:>=2026-11-20`)).arrayBuffer();
    // Started after the jobs are in, so its first pull is a full burst; one delivery each, so a retry through the bus would dead-letter.
    await h.startFetcher({ FETCHER_CONCURRENCY: String(CONCURRENCY), FETCHER_MAX_DELIVER: '1' });
    await waitFor(() => h.pages.messages.length === jobs.length, { what: 'every page', timeoutMs: 40_000 });

    const pages = h.pages.payloads<ReportPage>().sort((a, b) => a.page - b.page);
    expect(pages.map((p) => p.items)).toEqual(jobs.map(expectedItems));
    expect(h.deadLetters.messages).toHaveLength(0);
    expect(h.failures.messages).toHaveLength(0);

    const { overBudget, log } = h.github.stats();
    // The budget is shared: one probe meets the rate-limit answer, every other request waits for the reset.
    expect(overBudget).toBe(1);
    expect(log.filter((r) => r.status === status)).toHaveLength(1);
    for (const window of windows(log)) {
      const limited = window.requests.find((r) => r.status === status);
      if (!limited) continue;
      // The fixture answers LATENCY_MS after a request arrives: nothing may arrive from then until the window ends.
      const answeredAt = limited.at + LATENCY_MS;
      expect(window.requests.filter((r) => r.at >= answeredAt)).toEqual([]);
    }
    expect(windows(log).every((w) => w.requests.filter((r) => r.status === 200).length <= LIMIT)).toBe(true);
  });

  it('three replicas share one budget: none exceeds it, even when a window opens', async () => {
    h = await startHarness({ rateLimit: { anonymous: LIMIT, windowMs: WINDOW_MS }, latencyMs: 50 });
    const jobs = [1, 2, 3, 4, 5, 6, 7].map((page) => job('shared', page, 10));
    for (const j of jobs) await h.client.publish('reports.fetch', j);
    await Promise.all([1, 2, 3].map(() => h.startFetcher({ FETCHER_CONCURRENCY: String(CONCURRENCY) })));
    await waitFor(() => h.pages.messages.length === jobs.length, { what: 'every page', timeoutMs: 40_000 });

    const { overBudget, log } = h.github.stats();
    // Per-replica gates alone would let each of the three spend the whole budget at every window start.
    expect(overBudget).toBe(0);
    expect(log).toHaveLength(jobs.length);
    for (const window of windows(log)) expect(window.requests.length).toBeLessThanOrEqual(LIMIT);
    expect(h.deadLetters.messages).toHaveLength(0);
  });

  it('stops promptly while waiting for a reset and gives the job back, to be fetched after the reset', async () => {
    const windowMs = 4_000;
    h = await startHarness({ rateLimit: { anonymous: 1, windowMs } });
    const first = await h.startFetcher({ FETCHER_CONCURRENCY: '1' });
    await h.client.publish('reports.fetch', job('stopped', 1));
    await h.client.publish('reports.fetch', job('stopped', 2));
    await waitFor(() => h.pages.messages.length === 1, { what: 'the first page' });
    // The second job is now held by the gate: the first answer said nothing is left.
    const stopAt = Date.now();
    await first.stop();
    expect(Date.now() - stopAt).toBeLessThan(windowMs);
    expect(h.github.stats().requests).toBe(1);

    await h.startFetcher({ FETCHER_CONCURRENCY: '1' });
    await waitFor(() => h.pages.messages.length === 2, { what: 'the second page, from the second replica' });
    const { log, overBudget } = h.github.stats();
    expect(overBudget).toBe(0);
    expect(log).toHaveLength(2);
    expect(log[1]!.at - log[0]!.at).toBeGreaterThanOrEqual(windowMs);
    expect(h.deadLetters.messages).toHaveLength(0);
  });
});
