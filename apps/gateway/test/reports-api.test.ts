/**
 * The JSON API against a real nats-server: asking for a report, reading statuses, the recent list,
 * health, and the one error shape every failure answers with.
 */
import type { ErrorReport, ReportRequest } from '@hotrepos/contracts';
import { captureSubject, waitFor, type Capture } from '@hotrepos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../src/app.js';
import { requestIdForKey } from '../src/idempotency.js';
import { postJson, startHarness, status, type Harness } from './harness.js';

const NOW = new Date('2026-11-27T12:00:00Z');

describe('gateway API', () => {
  let h: Harness;
  let requests: Capture;
  let errors: Capture;
  beforeAll(async () => {
    h = await startHarness({
      now: () => NOW,
      env: { GATEWAY_BODY_LIMIT: '1024' },
      extend: (app) => {
        app.get('/api/test/boom/:n', () => {
          throw new Error('boom in a handler');
        });
      },
    });
    requests = await captureSubject(h.nats.url, 'reports.request');
    errors = await captureSubject(h.nats.url, 'errors.report');
  });
  afterAll(async () => {
    await requests?.stop();
    await errors?.stop();
    await h?.close();
  });

  const expectError = async (res: Response, status: number, code: string, message?: RegExp) => {
    const body = (await res.json()) as ErrorBody;
    expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    if (message) expect(body.error.message).toMatch(message);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);
    return body;
  };

  describe('POST /api/reports', () => {
    it('publishes reports.request with the Accept-Language locale and request id in scope, and answers 202 with links', async () => {
      const res = await postJson(h, '/api/reports', { period: 'week', refDate: '2026-11-27', notify: ['ada@example.com'] }, { 'accept-language': 'de-CH;q=0.9, fr;q=0.5, *;q=0.1, de;q=1' });
      expect(res.status).toBe(202);
      const body = (await res.json()) as { reportId: string; duplicate: boolean; statusUrl: string; eventsUrl: string; fileUrl: string };
      expect(body).toEqual({
        reportId: expect.any(String),
        duplicate: false,
        statusUrl: `/api/reports/${body.reportId}`,
        eventsUrl: `/api/reports/${body.reportId}/events`,
        fileUrl: `/api/reports/${body.reportId}/file`,
      });
      expect(res.headers.get('location')).toBe(body.statusUrl);
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

      await waitFor(() => requests.messages.some((m) => (m.json as ReportRequest).requestId === body.reportId), { what: 'the request on reports.request' });
      const message = requests.messages.find((m) => (m.json as ReportRequest).requestId === body.reportId)!;
      expect(message.json).toMatchObject({ period: 'week', refDate: '2026-11-27', notify: ['ada@example.com'] });
      expect(message.headers['locale']).toEqual(['de']);
      expect(message.headers['correlation-id']).toEqual([requestId]);
    });

    it('gives the same report for the same Idempotency-Key, marked duplicate', async () => {
      const key = 'checkout 42 / retry';
      const first = (await (await postJson(h, '/api/reports', { period: 'day' }, { 'idempotency-key': key })).json()) as { reportId: string; duplicate: boolean };
      const second = (await (await postJson(h, '/api/reports', { period: 'day' }, { 'idempotency-key': key })).json()) as { reportId: string; duplicate: boolean };
      expect(first.duplicate).toBe(false);
      expect(second).toMatchObject({ reportId: first.reportId, duplicate: true });
      expect(first.reportId).toMatch(/^idem-[0-9a-f]{40}$/);

      // Even a key that would be a valid id is hashed: a client cannot take an id the scheduler will use.
      const plain = (await (await postJson(h, '/api/reports', { period: 'day' }, { 'idempotency-key': 'nightly-20261128T000000Z' })).json()) as { reportId: string };
      expect(plain.reportId).toMatch(/^idem-[0-9a-f]{40}$/);
    });

    it('refuses an Idempotency-Key sent again with another body, and the first report stands', async () => {
      const key = 'reused by mistake';
      const first = (await (await postJson(h, '/api/reports', { period: 'day', refDate: '2026-11-20' }, { 'idempotency-key': key })).json()) as { reportId: string };
      const other = await postJson(h, '/api/reports', { period: 'day', refDate: '2026-11-21' }, { 'idempotency-key': key });
      expect(other.status).toBe(422);
      expect(await other.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: expect.stringMatching(/different request/) } });
      for (const body of [{ period: 'week', refDate: '2026-11-20' }, { period: 'day', refDate: '2026-11-20', locale: 'de' }, { period: 'day' }]) {
        expect((await postJson(h, '/api/reports', body, { 'idempotency-key': key })).status).toBe(422);
      }
      const retry = (await (await postJson(h, '/api/reports', { refDate: '2026-11-20', period: 'day' }, { 'idempotency-key': key })).json()) as { reportId: string; duplicate: boolean };
      expect(retry).toEqual(expect.objectContaining({ reportId: first.reportId, duplicate: true }));
    });

    it('takes the same request spelled another way as a retry: addresses in another order or twice, a language tag in another case', async () => {
      const key = 'spelled twice';
      const body = { period: 'week', notify: ['b@example.com', 'a@example.com'], locale: 'de-AT' };
      const first = (await (await postJson(h, '/api/reports', body, { 'idempotency-key': key })).json()) as { reportId: string };
      const same = { period: 'week', notify: ['a@example.com', 'b@example.com', 'a@example.com'], locale: 'de-at' };
      const retry = await postJson(h, '/api/reports', same, { 'idempotency-key': key });
      expect(retry.status).toBe(202);
      expect(await retry.json()).toMatchObject({ reportId: first.reportId, duplicate: true });
      expect((await postJson(h, '/api/reports', { ...same, notify: ['a@example.com'] }, { 'idempotency-key': key })).status).toBe(422);
    });

    it('still says duplicate for a retry after the stream forgot the msg id, once the report exists', async () => {
      const key = 'asked for long ago';
      const reportId = requestIdForKey(key)!;
      // The report this key asked for earlier, past the stream's duplicate window: only its status remains.
      await h.statuses.create({ reportId, state: 'ready', pagesDone: 5, pagesTotal: 5, updatedAt: NOW.toISOString() });
      const again = (await (await postJson(h, '/api/reports', { period: 'week' }, { 'idempotency-key': key })).json()) as { reportId: string; duplicate: boolean };
      expect(again).toMatchObject({ reportId, duplicate: true });
    });

    it('keeps a client x-request-id that looks like an id, and replaces one that does not', async () => {
      const kept = await fetch(`${h.url}/healthz`, { headers: { 'x-request-id': 'proxy-abc.123' } });
      expect(kept.headers.get('x-request-id')).toBe('proxy-abc.123');
      const replaced = await fetch(`${h.url}/healthz`, { headers: { 'x-request-id': 'no spaces <allowed>' } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each([
      ['an unknown period', { period: 'year' }, /^period: Invalid option: expected one of "day"\|"week"\|"month"$/],
      ['a date in the future', { period: 'day', refDate: '2026-11-28' }, /^refDate: must not be in the future \(today is 2026-11-27 UTC\)$/],
      ['an impossible date', { period: 'day', refDate: '2026-02-30' }, /^refDate: Invalid ISO date$/],
      ['an unknown field', { period: 'day', pages: 10 }, /Unrecognized key: "pages"/],
      ['a bad e-mail address', { period: 'day', notify: ['not-an-address'] }, /^notify\.0: /],
      ['no period', {}, /^period: /],
    ])('rejects %s with 400 and a message naming the field', async (_what, body, message) => {
      await expectError(await postJson(h, '/api/reports', body), 400, 'VALIDATION_FAILED', message);
    });

    it('rejects an oversized body with 400 BODY_TOO_LARGE', async () => {
      const body = { period: 'day', notify: Array.from({ length: 20 }, (_, i) => `someone-with-a-rather-long-address-${i}@example.com`) };
      expect(JSON.stringify(body).length).toBeGreaterThan(1024);
      await expectError(await postJson(h, '/api/reports', body), 400, 'BODY_TOO_LARGE', /larger than the limit of 1024 bytes/);
    });

    it('rejects a body that is not JSON with 400, and another content type with 415', async () => {
      await expectError(await postJson(h, '/api/reports', '{"period": "day"'), 400, 'INVALID_JSON');
      await expectError(await fetch(`${h.url}/api/reports`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'period=day' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('publishes nothing for a rejected request', async () => {
      const before = requests.messages.length;
      await postJson(h, '/api/reports', { period: 'fortnight' });
      await new Promise((r) => setTimeout(r, 300));
      expect(requests.messages.length).toBe(before);
    });
  });

  describe('GET /api/reports/:id', () => {
    it('answers the status, 404 for an unknown report and 400 for a malformed id', async () => {
      await h.statuses.create(status('known-1', { state: 'fetching', pagesDone: 2 }));
      const res = await fetch(`${h.url}/api/reports/known-1`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(status('known-1', { state: 'fetching', pagesDone: 2 }));
      await expectError(await fetch(`${h.url}/api/reports/nobody-asked`), 404, 'REPORT_NOT_FOUND', /nobody-asked/);
      await expectError(await fetch(`${h.url}/api/reports/bad..id`), 400, 'VALIDATION_FAILED', /^id: /);
    });

    it('answers 404 in the same shape for an unknown route', async () => {
      await expectError(await fetch(`${h.url}/api/nothing-here`), 404, 'ROUTE_NOT_FOUND');
    });
  });

  describe('GET /api/reports', () => {
    it('lists the newest reports first, up to the limit', async () => {
      for (const [id, day] of [['list-old', '01'], ['list-new', '03'], ['list-mid', '02']] as const) {
        await h.statuses.create(status(id, { createdAt: `2030-01-${day}T00:00:00.000Z`, updatedAt: `2030-01-${day}T00:00:00.000Z` }));
      }
      const res = await fetch(`${h.url}/api/reports?limit=2`);
      expect(res.status).toBe(200);
      const { reports } = (await res.json()) as { reports: { reportId: string }[] };
      expect(reports.map((r) => r.reportId)).toEqual(['list-new', 'list-mid']);
      const all = (await (await fetch(`${h.url}/api/reports`)).json()) as { reports: { reportId: string; createdAt: string }[] };
      expect(all.reports.slice(0, 3).map((r) => r.reportId)).toEqual(['list-new', 'list-mid', 'list-old']);
      const dates = all.reports.map((r) => r.createdAt ?? '');
      expect(dates).toEqual([...dates].sort().reverse());
      await expectError(await fetch(`${h.url}/api/reports?limit=101`), 400, 'VALIDATION_FAILED', /^limit: /);
      await expectError(await fetch(`${h.url}/api/reports?limit=0`), 400, 'VALIDATION_FAILED');
    });
  });

  it('GET /healthz answers ok', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the web page at / with its assets', async () => {
    const page = await fetch(`${h.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/<html/i);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const missing = await fetch(`${h.url}/assets/no-such-file.js`);
    expect(missing.status).toBe(404);
  });

  it('answers a path that leaves the assets folder, or names the folder, with a 4xx, not a 500 for the admins', async () => {
    for (const path of ['/assets/', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(await res.text(), path).not.toContain('"name": "@hotrepos/gateway"');
    }
    expect(h.logs.filter((l) => l.msg === 'request failed')).toEqual([]);
  });

  it('a route that throws answers 500 INTERNAL without a stack, logs it and reports it on errors.report', async () => {
    const res = await fetch(`${h.url}/api/test/boom/7`, { headers: { 'x-request-id': 'boom-request-1' } });
    const body = await expectError(res, 500, 'INTERNAL');
    expect(body).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error', requestId: 'boom-request-1' } });

    await waitFor(() => errors.messages.length > 0, { what: 'errors.report' });
    const report = errors.payloads<ErrorReport>()[0]!;
    expect(report).toMatchObject({
      service: 'gateway',
      message: 'GET /api/test/boom/:n: boom in a handler',
      http: { method: 'GET', route: '/api/test/boom/:n', status: 500, requestId: 'boom-request-1' },
    });
    expect(report.stack).toMatch(/boom in a handler/);
    const logged = h.logs.find((l) => l.msg === 'request failed');
    expect(logged).toMatchObject({ requestId: 'boom-request-1', route: '/api/test/boom/:n', err: { message: 'boom in a handler' } });

    // Another request to the same route is the same fingerprint: one digest line, whatever the request id.
    await fetch(`${h.url}/api/test/boom/8`);
    await waitFor(() => errors.messages.length > 1, { what: 'the second errors.report' });
    const [first, second] = errors.payloads<ErrorReport>();
    expect(second!.http?.requestId).not.toBe(first!.http?.requestId);
    expect(second!.fingerprint).toBe(first!.fingerprint);
  });
});
