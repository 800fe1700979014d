/**
 * The fetcher end to end: jobs in on `reports.fetch`, real HTTP to the GitHub fixture, pages out
 * on `reports.page`.
 */
import { decodeDeadLetter } from '@hotrepos/bus';
import { fixtureRepositories } from '@hotrepos/github-fixture';
import { waitFor } from '@hotrepos/testing';
import type { ReportPage } from '@hotrepos/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedItems, job, startHarness, type Harness } from './harness.js';

describe('fetcher', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  it('fetches a page and trims every item to the Repo contract', async () => {
    h = await startHarness();
    await h.startFetcher();
    const wanted = job('trim', 2, 30);
    await h.client.publish('reports.fetch', wanted);
    await waitFor(() => h.pages.messages.length === 1, { what: 'a page' });

    const [page] = h.pages.payloads<ReportPage>();
    expect(page).toEqual({
      reportId: 'trim',
      page: 2,
      totalCount: fixtureRepositories(wanted.since).length,
      incompleteResults: false,
      items: expectedItems(wanted),
    });
    expect(page!.items).toHaveLength(30);
    const [request] = h.github.stats().log;
    const query = new URL(request!.url, h.github.url).searchParams;
    expect(Object.fromEntries(query)).toEqual({ q: 'created:>=2026-01-05', sort: 'stars', order: 'desc', per_page: '30', page: '2' });
    expect(request!.token).toBeUndefined();
  });

  it('sends the token as a Bearer token and never logs it', async () => {
    const token = 'ghp_fixtureSecret0123456789';
    // A fault makes the fetcher log a failure too: the token must not be in that either.
    h = await startHarness({ tokens: [token], faults: [{ match: { page: 1 }, fault: 'status-500' }] });
    await h.startFetcher({ GITHUB_TOKEN: token });
    await h.client.publish('reports.fetch', job('token', 1));
    await h.client.publish('reports.fetch', job('token', 2));
    await waitFor(() => h.pages.messages.length === 2, { what: 'two pages' });

    const { log, byStatus } = h.github.stats();
    expect(byStatus).toEqual({ 200: 2, 500: 1 });
    expect(log.map((r) => r.token)).toEqual([token, token, token]);
    expect(h.logLines.length).toBeGreaterThan(0);
    expect(h.logLines.join('')).not.toContain(token);
  });

  it('dead-letters a malformed job and keeps going', async () => {
    h = await startHarness();
    await h.startFetcher();
    const raw = (payload: unknown) => h.client.transport.publish('reports.fetch', new TextEncoder().encode(JSON.stringify(payload)));
    await raw({ ...job('bad-date'), since: '2026-02-30' });
    await raw({ ...job('unknown-field'), token: 'x' });
    await h.client.publish('reports.fetch', job('good'));

    await waitFor(() => h.deadLetters.messages.length === 2 && h.pages.messages.length === 1, { what: 'two dead letters and a page' });
    const letters = h.deadLetters.messages.map((m) => decodeDeadLetter(m.data, m.headers));
    expect(letters.map((l) => l.reason)).toEqual(['contract-violation', 'contract-violation']);
    expect(letters[0]!.error).toMatch(/since/);
    expect(letters[1]!.error).toMatch(/token/);
    expect(h.pages.payloads<ReportPage>()[0]!.reportId).toBe('good');
    // Nothing reached GitHub for the bad ones.
    expect(h.github.stats().requests).toBe(1);
  });

  it('lets a request in flight finish when stopped', async () => {
    h = await startHarness({ latencyMs: 1_000 });
    const fetcher = await h.startFetcher();
    await h.client.publish('reports.fetch', job('in-flight'));
    await waitFor(() => h.github.stats().requests === 1, { what: 'the request to reach GitHub' });
    await fetcher.stop();
    // stop() returned after the handler published its page; give the capture a moment to see it.
    await waitFor(() => h.pages.messages.length === 1, { what: 'the page of the stopped fetcher' });
    await sleep(200);
    expect(h.deadLetters.messages).toHaveLength(0);
    expect(h.github.stats().requests).toBe(1);
  });
});
