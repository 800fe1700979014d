/**
 * The gateway's web page in a real browser, against the whole pipeline as processes: a person
 * picks a period and a date, watches the progress, downloads the CSV (byte for byte what the
 * fixture data says), reads the languages and the recent list, also on a phone; a day in the
 * future and a failed report read as errors from the server.
 */
import type { ReportStatus } from '@hotrepos/contracts';
import { freePort } from '@hotrepos/testing';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.js';
import { expectedCsv } from './expected-csv.js';
import { expectedRows } from './expected-report.js';
import { startPipeline, type Pipeline } from './pipeline-harness.js';

const refDate = '2026-11-27';
const since = '2026-11-20';
const REPORT_TIMEOUT_MS = 90_000;

// Runs in the page: every change of the bar is kept there, so no step is lost between two looks from here.
const RECORD_PROGRESS = `(() => {
  const bar = document.querySelector('[data-testid=progress]');
  window.progressSeen = [];
  new MutationObserver(() => window.progressSeen.push(Number(bar.getAttribute('aria-valuenow'))))
    .observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
})()`;

const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const isReportPost = (r: Response) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/reports';

describe('the gateway web page, end to end', { timeout: 240_000 }, () => {
  let browser: Browser | undefined;
  let pipeline: Pipeline | undefined;
  let baseUrl = '';
  let shotDir = '';
  let contexts: BrowserContext[] = [];
  let pageErrors: string[] = [];
  let browserLog: string[] = [];

  beforeAll(async () => {
    // First, so that a machine without Chromium fails at once and says why.
    browser = await launchChromium();
    // 400 ms a page and one page at a time: the bar has steps to show between queued and ready.
    pipeline = await startPipeline({ latencyMs: 400 });
    const port = await freePort();
    await Promise.all([
      pipeline.start('aggregator'),
      pipeline.start('importer'),
      pipeline.start('fetcher', { FETCHER_CONCURRENCY: '1' }),
      pipeline.start('gateway', { GATEWAY_PORT: String(port), GATEWAY_HOST: '127.0.0.1' }),
    ]);
    baseUrl = `http://127.0.0.1:${port}`;
    shotDir = await mkdtemp(join(tmpdir(), 'hotrepos-page-'));
  }, 180_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      console.error(`--- browser\n${browserLog.join('\n')}\n${pipeline?.logs() ?? ''}\nscreenshots: ${shotDir}`);
      shotDir = '';
    }
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    pageErrors = [];
    browserLog = [];
  });

  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
    if (shotDir) await rm(shotDir, { recursive: true, force: true });
  });

  const openPage = async (path: string, options: BrowserContextOptions = {}): Promise<Page> => {
    const context = await browser!.newContext({ baseURL: baseUrl, acceptDownloads: true, ...options });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => browserLog.push(`${msg.type()}: ${msg.text()}`));
    await page.goto(path);
    return page;
  };

  const reportStatus = async (reportId: string) => (await (await fetch(`${baseUrl}/api/reports/${reportId}`)).json()) as ReportStatus;

  it('generates a report: live progress, the CSV byte for byte, its languages, the recent list, on a phone too', async () => {
    pipeline!.github.setOptions({ faults: [] });
    const before = utcDay();
    const page = await openPage('/');
    const dateInput = page.getByTestId('ref-date');
    // Today (UTC) unless the day turned while the page loaded.
    expect([before, utcDay()]).toContain(await dateInput.inputValue());
    expect(await dateInput.getAttribute('max')).toBe(await dateInput.inputValue());

    await page.getByTestId('period-week').check();
    await dateInput.fill(refDate);
    expect(await page.locator('#ref-date-hint').textContent()).toBe(`Repositories created on or after ${since} (UTC), 7 days before this date, most stars first.`);
    await page.evaluate(RECORD_PROGRESS);
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/reports') posts.push(r.headers()['idempotency-key'] ?? '');
    });
    const created = page.waitForResponse(isReportPost);
    // A double click is one request: the first click disables the button.
    await page.getByTestId('generate').dblclick();
    expect(await page.getByTestId('generate').isDisabled()).toBe(true);
    const response = await created;
    expect(response.status()).toBe(202);
    const { reportId } = (await response.json()) as { reportId: string };

    await page.getByTestId('result').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT_MS });
    const bar = page.getByTestId('progress');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('progress-text').textContent()).toContain('Ready');
    const seen = (await page.evaluate('window.progressSeen')) as number[];
    expect(seen.at(-1)).toBe(100);
    expect(seen.some((v) => v > 0 && v < 100), `progress steps seen: ${seen.join(', ')}`).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await page.getByTestId('generate').isEnabled()).toBe(true);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // The table: one row per language in the report's order, its count, the top repositories first.
    const expected = expectedRows(since);
    const rows = page.locator('[data-testid=languages] tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual(expected.map(([language]) => language));
    expect((await rows.locator('td.count').allTextContents()).map(Number)).toEqual(expected.map((row) => row.length - 1));
    const [, ...topRepos] = expected[0]!;
    const firstRow = rows.first();
    expect(await firstRow.locator('td > ol a').allTextContents()).toEqual(topRepos.slice(0, 3));
    if (topRepos.length > 3) {
      await firstRow.locator('summary').click();
      expect(await firstRow.locator('details a').allTextContents()).toEqual(topRepos.slice(3));
    }

    const downloadLink = page.getByTestId('download');
    expect(await downloadLink.textContent()).toContain(`github-hot-repos-${since}.csv`);
    const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.click()]);
    expect(download.suggestedFilename()).toBe(`github-hot-repos-${since}.csv`);
    const file = await readFile(await download.path());
    // latin1 maps byte to character one to one: equal strings are equal bytes, and a mismatch shows as a diff.
    expect(file.toString('latin1')).toBe(expectedCsv(since).toString('latin1'));

    const recent = page.locator(`[data-testid=recent-list] li[data-report-id="${reportId}"]`);
    await page.locator(`[data-testid=recent-list] li[data-report-id="${reportId}"][data-state=ready]`).waitFor();
    expect(await recent.count()).toBe(1);
    expect(await recent.locator('a[download]').getAttribute('href')).toBe(`/api/reports/${reportId}/file`);
    expect(await recent.textContent()).toContain(`Week since ${since}`);
    expect(pageErrors).toEqual([]);

    // A phone opening the report's link: the same result, and nothing wider than the screen.
    const phone = await openPage(`/#report=${reportId}`, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await phone.getByTestId('result').waitFor({ state: 'visible', timeout: REPORT_TIMEOUT_MS });
    await phone.locator('[data-testid=languages] tbody tr summary').first().click();
    await phone.locator(`[data-testid=recent-list] li[data-report-id="${reportId}"]`).waitFor();
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const shot = join(shotDir, 'page-375x812.png');
    await phone.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
    expect((await reportStatus(reportId)).state).toBe('ready');
  });

  it('shows the server’s reason for a day in the future and for a failed report', async () => {
    const page = await openPage('/');
    const dateInput = page.getByTestId('ref-date');
    const tomorrow = utcDay(1);

    // The date field refuses tomorrow on its own; without its limit the server must refuse it.
    await dateInput.fill(tomorrow);
    expect(await page.evaluate('document.getElementById("ref-date").validity.rangeOverflow')).toBe(true);
    await page.evaluate('document.getElementById("ref-date").removeAttribute("max")');
    const refused = page.waitForResponse(isReportPost);
    await page.getByTestId('generate').click();
    const answer = await refused;
    expect(answer.status()).toBe(400);
    const { error } = (await answer.json()) as { error: { code: string; message: string; requestId: string } };
    const errorBox = page.getByTestId('error');
    await errorBox.waitFor({ state: 'visible' });
    expect(await errorBox.textContent()).toContain(error.message);
    expect(await page.getByTestId('generate').isEnabled()).toBe(true);
    expect(await page.getByTestId('result').isHidden()).toBe(true);

    // GitHub answers 422 for page 3: the report fails, and the page says where and why.
    pipeline!.github.setOptions({ faults: [{ match: { page: 3 }, fault: 'status-422' }] });
    await page.getByTestId('period-day').check();
    await dateInput.fill(refDate);
    const created = page.waitForResponse(isReportPost);
    await page.getByTestId('generate').click();
    const { reportId } = (await (await created).json()) as { reportId: string };
    await page.locator('[data-testid=progress][data-state=failed]').waitFor({ state: 'attached', timeout: REPORT_TIMEOUT_MS });
    await errorBox.waitFor({ state: 'visible' });
    const status = await reportStatus(reportId);
    expect(status).toMatchObject({ state: 'failed', error: { stage: 'fetch' } });
    expect(await errorBox.textContent()).toContain(status.error!.message);
    expect(await page.getByTestId('progress-text').textContent()).toContain('Failed');
    expect(await page.getByTestId('result').isHidden()).toBe(true);
    await page.locator(`[data-testid=recent-list] li[data-report-id="${reportId}"][data-state=failed]`).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('a link to a report that does not exist ends in a "not found" error, with the form ready to use', async () => {
    const page = await openPage('/#report=no-such-report');
    // The form is not busy while a linked report is merely followed.
    expect(await page.getByTestId('generate').isEnabled()).toBe(true);
    const errorBox = page.getByTestId('error');
    // The event stream waits for a status that never comes: polling takes over and gives up on the 404s.
    await errorBox.waitFor({ state: 'visible', timeout: 45_000 });
    expect(await errorBox.textContent()).toMatch(/no-such-report was not found/);
    expect(await page.getByTestId('generate').isEnabled()).toBe(true);
    expect(await page.getByTestId('result').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('sends no refDate when the date field is empty, so the server takes today', async () => {
    const page = await openPage('/');
    const bodies: unknown[] = [];
    // Answered here: only what the page sends is under test, and no report is started.
    await page.route('**/api/reports', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      bodies.push(route.request().postDataJSON());
      return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'TEST', message: 'answered by the test' } }) });
    });
    await page.evaluate('document.getElementById("ref-date").removeAttribute("required")');
    await page.getByTestId('ref-date').fill('');
    await page.getByTestId('period-day').check();
    await page.getByTestId('generate').click();
    const errorBox = page.getByTestId('error');
    await errorBox.waitFor({ state: 'visible' });
    expect(await errorBox.textContent()).toContain('answered by the test');
    expect(bodies).toEqual([{ period: 'day' }]);
    expect(await page.getByTestId('generate').isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
