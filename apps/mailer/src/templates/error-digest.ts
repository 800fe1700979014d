/**
 * `error-digest`: the errors reported in one window, one line per fingerprint with its count,
 * then one sample (message and stack) of each. Built by the mailer from `errors.report`, and
 * usable from `mail.send` with the same data.
 */
import { ErrorReportHttp, IsoDateTime } from '@hotrepos/contracts';
import { z } from 'zod';
import type { MailLocale } from '../locale.js';
import { formatDateTime, plural } from './format.js';
import { html } from './html.js';
import { htmlMail, labelled, textMail } from './layout.js';
import { defineTemplate } from './template.js';

const DigestEntry = z.object({
  fingerprint: z.string().min(1),
  count: z.int().positive(),
  service: z.string().min(1),
  subject: z.string().min(1).optional(),
  /** Set for a failed HTTP request: its route and the request id of the first one. */
  http: ErrorReportHttp.optional(),
  firstSeen: IsoDateTime,
  lastSeen: IsoDateTime,
  /** The first report's message and stack stand for all of them. */
  message: z.string(),
  stack: z.string().optional(),
});

export const ErrorDigestData = z.object({
  windowStart: IsoDateTime,
  windowEnd: IsoDateTime,
  entries: z.array(DigestEntry).min(1),
  /** Reports past the cap on fingerprints per digest: counted, not listed. */
  omitted: z.object({ fingerprints: z.int().positive(), reports: z.int().positive() }).optional(),
});
export type ErrorDigestData = z.input<typeof ErrorDigestData>;

interface Forms {
  readonly one: string;
  readonly other: string;
}

interface Wording {
  readonly errors: Forms;
  readonly fingerprints: Forms;
  readonly window: string;
  readonly total: string;
  readonly notListed: string;
  readonly count: string;
  readonly fingerprint: string;
  readonly service: string;
  readonly subject: string;
  readonly route: string;
  readonly requestId: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly samples: string;
}

const wording: Record<MailLocale, Wording> = {
  en: {
    errors: { one: 'error', other: 'errors' },
    fingerprints: { one: 'fingerprint', other: 'fingerprints' },
    window: 'Reported',
    total: 'Total',
    notListed: 'Not listed',
    count: 'Count',
    fingerprint: 'Fingerprint',
    service: 'Service',
    subject: 'Subject',
    route: 'Route',
    requestId: 'Request id',
    firstSeen: 'First seen',
    lastSeen: 'Last seen',
    samples: 'Samples',
  },
  de: {
    errors: { one: 'Fehler', other: 'Fehler' },
    fingerprints: { one: 'Fingerabdruck', other: 'Fingerabdrücke' },
    window: 'Zeitraum',
    total: 'Insgesamt',
    notListed: 'Nicht aufgeführt',
    count: 'Anzahl',
    fingerprint: 'Fingerabdruck',
    service: 'Dienst',
    subject: 'Subject',
    route: 'Route',
    requestId: 'Anfrage-ID',
    firstSeen: 'Zuerst',
    lastSeen: 'Zuletzt',
    samples: 'Beispiele',
  },
  fr: {
    errors: { one: 'erreur', other: 'erreurs' },
    fingerprints: { one: 'empreinte', other: 'empreintes' },
    window: 'Période',
    total: 'Total',
    notListed: 'Hors liste',
    count: 'Nombre',
    fingerprint: 'Empreinte',
    service: 'Service',
    subject: 'Sujet',
    route: 'Route',
    requestId: 'Identifiant de requête',
    firstSeen: 'Première',
    lastSeen: 'Dernière',
    samples: 'Exemples',
  },
};

export const errorDigest = defineTemplate('error-digest', ErrorDigestData, ({ windowStart, windowEnd, entries, omitted }, locale) => {
  const w = wording[locale];
  const counted = (n: number, forms: Forms) => `${n} ${plural(locale, n, forms)}`;
  const date = (iso: string) => formatDateTime(locale, iso);
  const total = entries.reduce((sum, e) => sum + e.count, 0) + (omitted?.reports ?? 0);
  const fingerprints = entries.length + (omitted?.fingerprints ?? 0);
  const totals = (errors: number, prints: number) => `${counted(errors, w.errors)}, ${counted(prints, w.fingerprints)}`;
  const subject = `[hotrepos] ${totals(total, fingerprints)}`;
  const summary = [labelled(locale, w.window, `${date(windowStart)} – ${date(windowEnd)}`), labelled(locale, w.total, totals(total, fingerprints))];
  const omittedLine = omitted && labelled(locale, w.notListed, totals(omitted.reports, omitted.fingerprints));
  const where = (e: (typeof entries)[number]) => {
    if (e.http) return `${e.service}, ${e.http.method} ${e.http.route} → ${e.http.status}`;
    return e.subject ? `${e.service}, ${e.subject}` : e.service;
  };
  const request = (e: (typeof entries)[number]) => (e.http ? labelled(locale, w.requestId, e.http.requestId) : undefined);
  const seen = (e: (typeof entries)[number]) => `${labelled(locale, w.firstSeen, date(e.firstSeen))}; ${labelled(locale, w.lastSeen, date(e.lastSeen))}`;

  const listing = entries.map((e) => `${e.count} × ${e.fingerprint} — ${where(e)}\n    ${seen(e)}`).join('\n');
  const samples = entries
    .map((e) => [`${e.fingerprint} (${e.count} ×) — ${where(e)}`, ...(e.http ? [indent(request(e)!)] : []), indent(e.message), ...(e.stack ? [indent(e.stack)] : [])].join('\n'))
    .join('\n\n');

  return {
    subject,
    text: textMail([summary.join('\n'), listing, omittedLine, `${w.samples}\n\n${samples}`]),
    html: htmlMail(
      locale,
      subject,
      html`<p>${summary.map((line) => html`${line}<br>\n`)}</p>
<table style="border-collapse: collapse" cellpadding="4" border="1">
<thead><tr><th>${w.count}</th><th>${w.fingerprint}</th><th>${w.service}</th><th>${w.subject} / ${w.route}</th><th>${w.firstSeen}</th><th>${w.lastSeen}</th></tr></thead>
<tbody>
${entries.map(
  (e) =>
    html`<tr><td style="text-align: right">${e.count} ×</td><td><code>${e.fingerprint}</code></td><td>${e.service}</td><td>${e.http ? `${e.http.method} ${e.http.route} → ${e.http.status}` : e.subject}</td><td>${date(e.firstSeen)}</td><td>${date(e.lastSeen)}</td></tr>\n`,
)}
</tbody>
</table>
${omittedLine === undefined ? '' : html`<p>${omittedLine}</p>`}
<h2>${w.samples}</h2>
${entries.map((e) => html`<h3><code>${e.fingerprint}</code> (${e.count} ×) — ${where(e)}</h3>\n${e.http ? html`<p>${request(e)}</p>\n` : ''}<pre style="white-space: pre-wrap">${e.message}${e.stack ? `\n\n${e.stack}` : ''}</pre>\n`)}`,
    ),
  };
});

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}
