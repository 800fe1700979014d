/**
 * `report-ready`: the report file exists; where to get it. `data` takes the `reports.ready`
 * payload as it is (extra fields such as `sha256` are ignored), the report's `period` and `since`
 * when known, and an optional `downloadUrl`.
 */
import { IsoDate, ReportId, ReportPeriod } from '@hotrepos/contracts';
import { z } from 'zod';
import type { MailLocale } from '../locale.js';
import { formatBytes, formatDate } from './format.js';
import { html } from './html.js';
import { greeting, htmlMail, labelled, textMail } from './layout.js';
import { defineTemplate } from './template.js';

const ReportReadyData = z.looseObject({
  reportId: ReportId,
  file: z
    .looseObject({
      name: z.string().min(1).optional(),
      bytes: z.int().nonnegative().optional(),
      /** Under the importer's MEDIA_ROOT. */
      path: z.string().min(1).optional(),
      /** In the `reports` object store. */
      objectKey: z.string().min(1).optional(),
    })
    .refine((file) => file.path !== undefined || file.objectKey !== undefined, 'file needs a path or an objectKey'),
  period: ReportPeriod.optional(),
  /** The first day of repositories the report covers. */
  since: IsoDate.optional(),
  downloadUrl: z.url({ protocol: /^https?$/ }).optional(),
});

interface Wording {
  subject(reportId: string): string;
  ready(reportId: string): string;
  readonly period: string;
  readonly periods: Record<ReportPeriod, string>;
  readonly since: string;
  readonly download: string;
  readonly file: string;
  readonly path: string;
  readonly objectKey: string;
}

const wording: Record<MailLocale, Wording> = {
  en: {
    subject: (id) => `Your hotrepos report ${id} is ready`,
    ready: (id) => `your hotrepos report ${id} is ready.`,
    period: 'Period',
    periods: { day: 'day', week: 'week', month: 'month' },
    since: 'Repositories created since',
    download: 'Download',
    file: 'File',
    path: 'Path',
    objectKey: 'Object store key',
  },
  de: {
    subject: (id) => `Ihr hotrepos-Bericht ${id} ist fertig`,
    ready: (id) => `Ihr hotrepos-Bericht ${id} ist fertig.`,
    period: 'Zeitraum',
    periods: { day: 'Tag', week: 'Woche', month: 'Monat' },
    since: 'Repositorys erstellt seit',
    download: 'Herunterladen',
    file: 'Datei',
    path: 'Pfad',
    objectKey: 'Schlüssel im Objektspeicher',
  },
  fr: {
    subject: (id) => `Votre rapport hotrepos ${id} est prêt`,
    ready: (id) => `votre rapport hotrepos ${id} est prêt.`,
    period: 'Période',
    periods: { day: 'jour', week: 'semaine', month: 'mois' },
    since: 'Dépôts créés depuis le',
    download: 'Télécharger',
    file: 'Fichier',
    path: 'Chemin',
    objectKey: 'Clé dans le stockage objet',
  },
};

export const reportReady = defineTemplate('report-ready', ReportReadyData, ({ reportId, file, period, since, downloadUrl }, locale) => {
  const w = wording[locale];
  const fileName = file.name === undefined ? undefined : file.bytes === undefined ? file.name : `${file.name} (${formatBytes(locale, file.bytes)})`;
  const details: [string, string | undefined][] = [
    [w.period, period && w.periods[period]],
    [w.since, since && formatDate(locale, since)],
    [w.download, downloadUrl],
    [w.file, fileName],
    [w.path, file.path],
    [w.objectKey, file.objectKey],
  ];
  const present = details.filter((d): d is [string, string] => d[1] !== undefined);
  return {
    subject: w.subject(reportId),
    text: textMail([greeting(locale), w.ready(reportId), present.map(([label, value]) => labelled(locale, label, value)).join('\n')]),
    html: htmlMail(
      locale,
      w.subject(reportId),
      html`<p>${greeting(locale)}</p>
<p>${w.ready(reportId)}</p>
${downloadUrl === undefined ? '' : html`<p><a href="${downloadUrl}">${w.download}</a></p>`}
<ul>
${present.map(([label, value]) => html`<li>${labelled(locale, label, '')}<code>${value}</code></li>\n`)}
</ul>`,
    ),
  };
});
