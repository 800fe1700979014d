import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FixtureInputError,
  type FixtureOptions,
  type GithubFixture,
  GithubFixtureStartError,
  LOG_LIMIT,
  type RepositorySearchResponse,
  fixtureRepositories,
  startGithubFixture,
} from './index.js';
import { RequestStats } from './request-stats.js';

const SINCE = '2024-03-01';
const Q = `created:>=${SINCE}`;

function searchUrl(fixture: GithubFixture, params: Record<string, string | number>): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
  return `${fixture.url}/search/repositories?${query}`;
}

async function search(fixture: GithubFixture, params: Record<string, string | number>, headers: Record<string, string> = {}) {
  const res = await fetch(searchUrl(fixture, params), { headers });
  const text = await res.text();
  return { res, text, json: () => JSON.parse(text) as RepositorySearchResponse & { message?: string } };
}

/** Fixtures a test starts are stopped after it, even when it fails. */
const started: GithubFixture[] = [];
async function start(opts: FixtureOptions = {}): Promise<GithubFixture> {
  const fixture = await startGithubFixture(opts);
  started.push(fixture);
  return fixture;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.stop()));
});

describe('github fixture: search results', () => {
  let fixture: GithubFixture;
  beforeAll(async () => {
    fixture = await startGithubFixture({ rateLimit: false });
  });
  afterAll(() => fixture.stop());

  it('serves the same bytes for the same day, from any server, and other data for another day', async () => {
    const other = await start({ rateLimit: false });
    const a = await search(fixture, { q: Q, sort: 'stars', per_page: 100, page: 3 });
    const b = await search(other, { q: Q, sort: 'stars', per_page: 100, page: 3 });
    expect(a.res.status).toBe(200);
    expect(b.text).toBe(a.text);
    const c = await search(fixture, { q: 'created:>=2024-03-02', sort: 'stars', per_page: 100, page: 3 });
    expect(c.text).not.toBe(a.text);
  });

  it('answers like GitHub: total_count, incomplete_results, headers', async () => {
    const { res, json } = await search(fixture, { q: Q, sort: 'stars', order: 'desc' });
    const body = json();
    expect(body.total_count).toBe(fixtureRepositories(SINCE).length);
    expect(body.incomplete_results).toBe(false);
    expect(body.items).toHaveLength(30);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-ratelimit-resource')).toBe('search');
    expect(res.headers.get('x-github-api-version-selected')).toBe('2022-11-28');
    expect(res.headers.get('link')).toContain('rel="next"');
  });

  it('pages with per_page (clamped to 100) and page, up to the first 1000 results', async () => {
    const all = fixtureRepositories(SINCE);
    const page2 = (await search(fixture, { q: Q, sort: 'stars', per_page: 7, page: 2 })).json();
    expect(page2.items.map((r) => r.id)).toEqual(all.slice(7, 14).map((r) => r.id));
    expect((await search(fixture, { q: Q, per_page: 500 })).json().items).toHaveLength(100);
    // The page that straddles the cap is cut at 1000.
    const last = (await search(fixture, { q: Q, per_page: 30, page: 34 })).json();
    expect(last.items.map((r) => r.id)).toEqual(all.slice(990, 1000).map((r) => r.id));
    const beyond = await search(fixture, { q: Q, per_page: 100, page: 11 });
    expect(beyond.res.status).toBe(422);
    expect(beyond.json()).toMatchObject({ message: 'Only the first 1000 search results are available', status: '422' });
  });

  it('returns an empty page past the end of a small result set', async () => {
    const small = await start({ rateLimit: false, totalCount: 45 });
    const page = (await search(small, { q: Q, per_page: 30, page: 3 })).json();
    expect(page.total_count).toBe(45);
    expect(page.items).toEqual([]);
  });

  it('serves exactly fixtureRepositories(since): pages 1..10 of 100 are its first 1000', async () => {
    const pages = await Promise.all(
      Array.from({ length: 10 }, (_, i) => search(fixture, { q: Q, sort: 'stars', order: 'desc', per_page: 100, page: i + 1 })),
    );
    const served = pages.flatMap((p) => p.json().items);
    expect(served).toEqual(fixtureRepositories(SINCE).slice(0, 1000));
  });

  it('sorts ascending with order=asc', async () => {
    const page = (await search(fixture, { q: Q, sort: 'stars', order: 'asc', per_page: 5 })).json();
    expect(page.items).toEqual(fixtureRepositories(SINCE, { order: 'asc' }).slice(0, 5));
  });

  it('reads created:>=DAY and created:>DAY and ignores other qualifiers', async () => {
    const inclusive = await search(fixture, { q: 'created:>=2024-03-02', per_page: 3 });
    const exclusive = await search(fixture, { q: 'created:>2024-03-01', per_page: 3 });
    const noisy = await search(fixture, { q: 'language:rust created:>=2024-03-02 stars:>10', per_page: 3 });
    expect(exclusive.text).toBe(inclusive.text);
    expect(noisy.text).toBe(inclusive.text);
  });

  it.each<Record<string, string>>([{}, { q: '' }, { q: 'stars:>10' }, { q: 'created:>=2024-02-30' }, { q: 'created:<2024-01-01' }])(
    'answers 422 Validation Failed to the query %j',
    async (params) => {
      const { res, json } = await search(fixture, params);
      expect(res.status).toBe(422);
      expect(json()).toEqual({
        message: 'Validation Failed',
        errors: [{ resource: 'Search', field: 'q', code: 'invalid' }],
        documentation_url: 'https://docs.github.com/v3/search',
        status: '422',
      });
    },
  );

  it('answers 422 to a sort other than stars', async () => {
    const { res, json } = await search(fixture, { q: Q, sort: 'forks' });
    expect(res.status).toBe(422);
    expect(json()).toMatchObject({ errors: [{ resource: 'Search', field: 'sort', code: 'invalid' }] });
  });

  it('answers 404 to other routes and methods', async () => {
    const other = await fetch(`${fixture.url}/repos/a/b`);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ message: 'Not Found' });
    expect((await fetch(searchUrl(fixture, { q: Q }), { method: 'POST' })).status).toBe(404);
  });

  it('repeats the tail of the previous page with overlap', async () => {
    const overlapping = await start({ rateLimit: false, overlap: 3 });
    const all = fixtureRepositories(SINCE);
    const page1 = (await search(overlapping, { q: Q, per_page: 10, page: 1 })).json();
    const page2 = (await search(overlapping, { q: Q, per_page: 10, page: 2 })).json();
    expect(page1.items).toEqual(all.slice(0, 10));
    expect(page2.items).toEqual(all.slice(7, 17));
  });
});

describe('github fixture: auth and budget', () => {
  it('refuses tokens it does not know with 401 Bad credentials', async () => {
    const fixture = await start({ tokens: ['good'] });
    const bad = await search(fixture, { q: Q }, { authorization: 'Bearer nope' });
    expect(bad.res.status).toBe(401);
    expect(bad.json()).toMatchObject({ message: 'Bad credentials' });
    expect((await search(fixture, { q: Q }, { authorization: 'Bearer good' })).res.status).toBe(200);
    expect((await search(fixture, { q: Q }, { authorization: 'token good' })).res.status).toBe(200);
    expect((await search(fixture, { q: Q }, { authorization: 'Basic Z29vZA==' })).res.status).toBe(401);
    expect((await search(fixture, { q: Q })).res.status).toBe(200);
  });

  it('spends a budget per token, answers 403 with the headers when it is spent, and refills after the window', async () => {
    // A window long enough for the requests below on a busy machine.
    const fixture = await start({ rateLimit: { authenticated: 3, anonymous: 1, windowMs: 3000 } });
    const auth = { authorization: 'Bearer a' };
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) remaining.push((await search(fixture, { q: Q }, auth)).res.headers.get('x-ratelimit-remaining'));
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await search(fixture, { q: Q }, auth);
    expect(limited.res.status).toBe(403);
    expect(limited.json().message).toMatch(/^API rate limit exceeded for /);
    expect(limited.res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.res.headers.get('x-ratelimit-limit')).toBe('3');
    const reset = Number(limited.res.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3);
    expect(Number(limited.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // Another token and the anonymous caller have budgets of their own.
    expect((await search(fixture, { q: Q }, { authorization: 'Bearer b' })).res.status).toBe(200);
    expect((await search(fixture, { q: Q })).res.headers.get('x-ratelimit-limit')).toBe('1');
    expect((await search(fixture, { q: Q })).res.status).toBe(403);
    expect(fixture.stats().overBudget).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 3050));
    const after = await search(fixture, { q: Q }, auth);
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get('x-ratelimit-remaining')).toBe('2');
    expect(fixture.stats().byStatus).toEqual({ 200: 6, 403: 2 });
  });

  it('answers 429 with retry-after when asked to', async () => {
    const fixture = await start({ rateLimit: { anonymous: 1 }, rateLimitStatus: 429 });
    await search(fixture, { q: Q });
    const limited = await search(fixture, { q: Q });
    expect(limited.res.status).toBe(429);
    const retryAfter = Number(limited.res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(fixture.stats().overBudget).toBe(1);
  });

  it('forgets spent budgets and stats on reset(), and takes new settings with setOptions()', async () => {
    const fixture = await start({ rateLimit: { anonymous: 1 } });
    await search(fixture, { q: Q });
    expect((await search(fixture, { q: Q })).res.status).toBe(403);
    fixture.reset();
    expect(fixture.stats()).toMatchObject({ requests: 0, overBudget: 0, log: [] });
    expect((await search(fixture, { q: Q })).res.status).toBe(200);
    fixture.setOptions({ rateLimit: false });
    for (let i = 0; i < 3; i++) expect((await search(fixture, { q: Q })).res.status).toBe(200);
    expect(() => fixture.setOptions({ latencyMs: -1 })).toThrow(FixtureInputError);
  });

  it('logs each request', async () => {
    const fixture = await start();
    await search(fixture, { q: Q, page: 2 }, { authorization: 'Bearer t1' });
    const [entry] = fixture.stats().log;
    expect(entry).toMatchObject({ method: 'GET', status: 200, token: 't1' });
    expect(entry?.url).toContain('page=2');
    expect(entry?.at).toBeGreaterThan(Date.now() - 5000);
  });

  it('keeps only the newest LOG_LIMIT log entries, oldest first', () => {
    const stats = new RequestStats();
    for (let i = 0; i < LOG_LIMIT + 5; i++) stats.record({ method: 'GET', url: `/${i}`, status: 200, at: i, token: undefined }, false);
    const { log, requests } = stats.snapshot([]);
    expect(requests).toBe(LOG_LIMIT + 5);
    expect(log).toHaveLength(LOG_LIMIT);
    expect(log[0]?.url).toBe('/5');
    expect(log.at(-1)?.url).toBe(`/${LOG_LIMIT + 4}`);
  });
});

describe('github fixture: faults and latency', () => {
  it.each([
    ['status-500', 500],
    ['status-502', 502],
    ['status-422', 422],
  ] as const)('injects %s on the nth matching request only', async (fault, status) => {
    const fixture = await start({ rateLimit: false, faults: [{ match: { page: 2, nth: 2 }, fault }] });
    const statuses: number[] = [];
    for (const page of [2, 1, 2, 2]) statuses.push((await search(fixture, { q: Q, page })).res.status);
    expect(statuses).toEqual([200, 200, status, 200]);
    expect(fixture.stats()).toMatchObject({ faultsFired: 1, faultHits: [1] });
  });

  it('fires `times` times, and matches on the day in q', async () => {
    const fixture = await start({ rateLimit: false, faults: [{ match: { since: '2024-03-01', times: Infinity }, fault: 'status-500' }] });
    for (let i = 0; i < 3; i++) expect((await search(fixture, { q: Q })).res.status).toBe(500);
    expect((await search(fixture, { q: 'created:>=2024-03-02' })).res.status).toBe(200);
    expect(fixture.stats().faultHits).toEqual([3]);
  });

  it('stalls the body half-way with slow-body, then delivers it whole', async () => {
    const fixture = await start({ rateLimit: false, faults: [{ match: {}, fault: 'slow-body', slowBodyMs: 300 }] });
    const begun = Date.now();
    const res = await fetch(searchUrl(fixture, { q: Q, per_page: 50 }));
    expect(res.status).toBe(200);
    const headersAfter = Date.now() - begun;
    const text = await res.text();
    expect(Date.now() - begun - headersAfter).toBeGreaterThanOrEqual(250);
    expect((JSON.parse(text) as RepositorySearchResponse).items).toHaveLength(50);
  });

  it('sends truncated JSON with 200 for malformed-json', async () => {
    const fixture = await start({ rateLimit: false, faults: [{ match: {}, fault: 'malformed-json' }] });
    const { res, text } = await search(fixture, { q: Q });
    expect(res.status).toBe(200);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect((await search(fixture, { q: Q })).json().items).toHaveLength(30);
  });

  it('drops the connection without an answer for connection-reset', async () => {
    const fixture = await start({ rateLimit: false, faults: [{ match: {}, fault: 'connection-reset' }] });
    await expect(fetch(searchUrl(fixture, { q: Q }))).rejects.toThrow(TypeError);
    expect((await search(fixture, { q: Q })).res.status).toBe(200);
    expect(fixture.stats().byStatus).toEqual({ 0: 1, 200: 1 });
  });

  it('delays every response by latencyMs', async () => {
    const fixture = await start({ rateLimit: false, latencyMs: 200 });
    const begun = Date.now();
    await search(fixture, { q: Q });
    expect(Date.now() - begun).toBeGreaterThanOrEqual(190);
  });
});

describe('github fixture: lifecycle', () => {
  it('stops promptly with open keep-alive connections and a response still stalled', async () => {
    const fixture = await start({ rateLimit: false, faults: [{ match: { page: 2 }, fault: 'slow-body', slowBodyMs: 30_000 }] });
    await search(fixture, { q: Q });
    const stalled = fetch(searchUrl(fixture, { q: Q, page: 2 })).then((res) => res.text());
    await new Promise((resolve) => setTimeout(resolve, 100));
    const begun = Date.now();
    await fixture.stop();
    expect(Date.now() - begun).toBeLessThan(1000);
    await expect(stalled).rejects.toThrow();
    await expect(fetch(searchUrl(fixture, { q: Q }))).rejects.toThrow(TypeError);
  });

  it('fails to start with GithubFixtureStartError on a taken port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(startGithubFixture({ port })).rejects.toBeInstanceOf(GithubFixtureStartError);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('rejects settings it cannot honour', async () => {
    await expect(startGithubFixture({ faults: [{ match: { since: 'soon' }, fault: 'status-500' }] })).rejects.toBeInstanceOf(FixtureInputError);
    await expect(startGithubFixture({ rateLimit: { windowMs: 0 } })).rejects.toBeInstanceOf(FixtureInputError);
  });
});
