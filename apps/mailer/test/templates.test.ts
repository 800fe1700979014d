/** The templates on their own: wording per language, escaping, and data that does not fit. */
import { describe, expect, it } from 'vitest';
import { MAIL_LOCALES } from '../src/locale.js';
import { MailDataError } from '../src/templates/mail-data-error.js';
import { renderMail } from '../src/templates/render-mail.js';
import { reportFile } from './harness.js';

const digest = (omitted?: { fingerprints: number; reports: number }) => ({
  windowStart: '2026-11-27T16:00:00.000Z',
  windowEnd: '2026-11-27T16:01:00.000Z',
  entries: [
    { fingerprint: 'fp-a', count: 1000, service: 'fetcher', subject: 'reports.fetch', firstSeen: '2026-11-27T16:00:01.000Z', lastSeen: '2026-11-27T16:00:59.000Z', message: 'GitHub <down>', stack: 'Error: GitHub <down>\n    at fetch (x.ts:1:1)' },
    { fingerprint: 'fp-b', count: 1, service: 'importer', firstSeen: '2026-11-27T16:00:02.000Z', lastSeen: '2026-11-27T16:00:02.000Z', message: 'disk full' },
  ],
  ...(omitted ? { omitted } : {}),
});

describe('mail templates', () => {
  it('word the subject of every template in every language', () => {
    const ready = { reportId: 'r-1', file: reportFile('r-1') };
    const failed = { reportId: 'r-1', stage: 'import', code: 'import_failed', message: 'disk full' };
    expect(MAIL_LOCALES.map((l) => renderMail('report-ready', l, ready).subject)).toEqual([
      'Your hotrepos report r-1 is ready',
      'Ihr hotrepos-Bericht r-1 ist fertig',
      'Votre rapport hotrepos r-1 est prêt',
    ]);
    expect(MAIL_LOCALES.map((l) => renderMail('report-failed', l, failed).subject)).toEqual([
      'Your hotrepos report r-1 failed',
      'Ihr hotrepos-Bericht r-1 ist fehlgeschlagen',
      'Échec de votre rapport hotrepos r-1',
    ]);
    expect(MAIL_LOCALES.map((l) => renderMail('error-digest', l, digest()).subject)).toEqual([
      '[hotrepos] 1001 errors, 2 fingerprints',
      '[hotrepos] 1001 Fehler, 2 Fingerabdrücke',
      '[hotrepos] 1001 erreurs, 2 empreintes',
    ]);
  });

  it('take a report-ready with only an object key, or only a path', () => {
    expect(renderMail('report-ready', 'en', { reportId: 'r-1', file: { objectKey: 'r-1/a.csv' } }).text).toContain('Object store key: r-1/a.csv');
    const pathOnly = renderMail('report-ready', 'en', { reportId: 'r-1', file: { path: '/m/a.csv' } }).text;
    expect(pathOnly).toContain('Path: /m/a.csv');
    expect(pathOnly).not.toMatch(/Object store key|Period|Download|File/);
  });

  it('list every fingerprint of a digest with its count, times in UTC and one sample', () => {
    const { text, html } = renderMail('error-digest', 'en', digest({ fingerprints: 3, reports: 7 }));
    expect(text).toContain('Reported: Nov 27, 2026, 4:00:00 PM UTC – Nov 27, 2026, 4:01:00 PM UTC');
    expect(text).toContain('Total: 1008 errors, 5 fingerprints');
    expect(text).toContain('1000 × fp-a — fetcher, reports.fetch\n    First seen: Nov 27, 2026, 4:00:01 PM UTC; Last seen: Nov 27, 2026, 4:00:59 PM UTC');
    expect(text).toContain('1 × fp-b — importer\n');
    expect(text).toContain('Not listed: 7 errors, 3 fingerprints');
    expect(text).toContain('fp-a (1000 ×) — fetcher, reports.fetch\n    GitHub <down>\n    Error: GitHub <down>\n        at fetch (x.ts:1:1)');
    expect(html).toContain('<td style="text-align: right">1000 ×</td><td><code>fp-a</code></td><td>fetcher</td><td>reports.fetch</td>');
    expect(html).toContain('GitHub &lt;down&gt;');
    expect(html).not.toContain('<down>');
  });

  it('name the route and request id of a failed HTTP request, in every language', () => {
    const http = { method: 'GET', route: '/api/reports/:id/file', status: 500, requestId: 'req-42' };
    const entry = { fingerprint: 'fp-h', count: 2, service: 'gateway', http, firstSeen: '2026-11-27T16:00:01.000Z', lastSeen: '2026-11-27T16:00:05.000Z', message: 'GET /api/reports/:id/file: boom' };
    const data = { windowStart: '2026-11-27T16:00:00.000Z', windowEnd: '2026-11-27T16:01:00.000Z', entries: [entry] };
    const labels = { en: /Request id: req-42/, de: /Anfrage-ID: req-42/, fr: /Identifiant de requête\s: req-42/u };
    for (const locale of MAIL_LOCALES) {
      const { text, html } = renderMail('error-digest', locale, data);
      expect(text).toContain('2 × fp-h — gateway, GET /api/reports/:id/file → 500');
      expect(text).toMatch(labels[locale]);
      expect(html).toContain('<td>GET /api/reports/:id/file → 500</td>');
      expect(html).toMatch(labels[locale]);
    }
  });

  it('write dates and plurals the way each language does', () => {
    const single = { ...digest(), entries: [{ ...digest().entries[1]!, count: 1 }] };
    expect(renderMail('error-digest', 'de', single).text).toContain('Zeitraum: 27.11.2026, 16:00:00 UTC – 27.11.2026, 16:01:00 UTC');
    expect(renderMail('error-digest', 'fr', single).subject).toBe('[hotrepos] 1 erreur, 1 empreinte');
    expect(renderMail('error-digest', 'en', single).subject).toBe('[hotrepos] 1 error, 1 fingerprint');
  });

  it('refuse data that does not fit, saying what is wrong', () => {
    const attempt = (template: 'report-ready' | 'report-failed' | 'error-digest', data: unknown) => () => renderMail(template, 'en', data);
    expect(attempt('report-ready', { reportId: 'r-1', file: {} })).toThrow(/file needs a path or an objectKey/);
    expect(attempt('report-ready', { reportId: 'r-1', file: reportFile('r-1'), downloadUrl: 'javascript:alert(1)' })).toThrow(MailDataError);
    expect(attempt('report-ready', { reportId: 'r-1', file: reportFile('r-1'), since: '2026-02-30' })).toThrow(/since/);
    expect(attempt('report-failed', { reportId: 'r-1', stage: 'nowhere', code: 'x', message: 'y' })).toThrow(/stage/);
    expect(attempt('error-digest', { ...digest(), entries: [] })).toThrow(/entries/);
    const err = (() => {
      try {
        renderMail('report-failed', 'en', {});
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ name: 'MailDataError', code: 'MAIL_DATA_INVALID', template: 'report-failed' });
  });
});
