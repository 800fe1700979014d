/** `report-failed`: a report will not complete; where it stopped and why. `data` takes the `reports.failed` payload as it is. */
import { ReportError, ReportId, type ReportStage } from '@hotrepos/contracts';
import { z } from 'zod';
import type { MailLocale } from '../locale.js';
import { html } from './html.js';
import { greeting, htmlMail, labelled, textMail } from './layout.js';
import { defineTemplate } from './template.js';

const ReportFailedData = z.looseObject({ reportId: ReportId, ...ReportError.shape });

interface Wording {
  subject(reportId: string): string;
  failed(reportId: string): string;
  readonly stage: string;
  readonly code: string;
  readonly reason: string;
  readonly stages: Record<ReportStage, string>;
  readonly advice: string;
}

const wording: Record<MailLocale, Wording> = {
  en: {
    subject: (id) => `Your hotrepos report ${id} failed`,
    failed: (id) => `your hotrepos report ${id} could not be completed.`,
    stage: 'Stage',
    code: 'Code',
    reason: 'Reason',
    stages: { request: 'request', fetch: 'fetching from GitHub', aggregate: 'aggregation', import: 'CSV import' },
    advice: 'You can request the report again; if it keeps failing, please tell the administrators.',
  },
  de: {
    subject: (id) => `Ihr hotrepos-Bericht ${id} ist fehlgeschlagen`,
    failed: (id) => `Ihr hotrepos-Bericht ${id} konnte nicht erstellt werden.`,
    stage: 'Schritt',
    code: 'Code',
    reason: 'Grund',
    stages: { request: 'Anfrage', fetch: 'Abruf bei GitHub', aggregate: 'Zusammenführung', import: 'CSV-Import' },
    advice: 'Sie können den Bericht erneut anfordern; schlägt er weiterhin fehl, wenden Sie sich bitte an die Administratoren.',
  },
  fr: {
    subject: (id) => `Échec de votre rapport hotrepos ${id}`,
    failed: (id) => `votre rapport hotrepos ${id} n’a pas pu être généré.`,
    stage: 'Étape',
    code: 'Code',
    reason: 'Raison',
    stages: { request: 'requête', fetch: 'récupération depuis GitHub', aggregate: 'agrégation', import: 'import CSV' },
    advice: 'Vous pouvez demander à nouveau le rapport ; s’il échoue encore, prévenez les administrateurs.',
  },
};

export const reportFailed = defineTemplate('report-failed', ReportFailedData, ({ reportId, stage, code, message }, locale) => {
  const w = wording[locale];
  const details: [string, string][] = [
    [w.stage, `${w.stages[stage]} (${stage})`],
    [w.code, code],
    [w.reason, message],
  ];
  return {
    subject: w.subject(reportId),
    text: textMail([greeting(locale), w.failed(reportId), details.map(([label, value]) => labelled(locale, label, value)).join('\n'), w.advice]),
    html: htmlMail(
      locale,
      w.subject(reportId),
      html`<p>${greeting(locale)}</p>
<p>${w.failed(reportId)}</p>
<ul>
${details.map(([label, value]) => html`<li>${labelled(locale, label, '')}<code>${value}</code></li>\n`)}
</ul>
<p>${w.advice}</p>`,
    ),
  };
});
