import { z } from 'zod';
import { IsoDate, PageNumber, PerPage, ReportId } from './scalars.js';

/**
 * `reports.fetch`: one search page to fetch. One job per page lets N fetchers share the work
 * and lets a failed page be retried without refetching the others.
 */
export const ReportFetch = z
  .strictObject({
    reportId: ReportId,
    since: IsoDate.describe('Repositories created on or after this day'),
    page: PageNumber,
    perPage: PerPage,
  })
  .describe('One page of GitHub search results to fetch');
export type ReportFetch = z.infer<typeof ReportFetch>;
