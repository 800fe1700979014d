import { z } from 'zod';
import { ReportPeriod } from './report-period.js';
import { Email, IsoDate, Locale, PageNumber, PerPage, RequestId } from './scalars.js';

export const DEFAULT_PAGES = 5;

/**
 * `reports.request`: anyone asks the aggregator for a report. Everything but the period is
 * optional so that a hand-typed `nats pub reports.request '{"period":"week"}'` works.
 */
export const ReportRequest = z
  .strictObject({
    requestId: RequestId.optional().describe('Makes the request idempotent: a retry names the same report'),
    period: ReportPeriod,
    refDate: IsoDate.optional().describe('The day the period is counted back from; the day the request is handled when absent'),
    pages: PageNumber.default(DEFAULT_PAGES).describe('How many search result pages to fetch'),
    perPage: PerPage.default(100),
    notify: z.array(Email).max(20).optional().describe('Who gets an e-mail when the report is ready or failed'),
    locale: Locale.optional().describe('Language of the e-mails; overrides the locale header'),
  })
  .describe('Ask for a report of the repositories created in a period');
export type ReportRequest = z.infer<typeof ReportRequest>;
