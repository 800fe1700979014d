import { z } from 'zod';
import { Repo } from './repo.js';
import { ReportPeriod } from './report-period.js';
import { IsoDate, ReportId } from './scalars.js';

/**
 * The repositories of one language. Repositories without a language get a named group
 * chosen by the aggregator rather than being dropped, hence a plain non-empty string here.
 */
export const LanguageGroup = z.strictObject({
  language: z.string().min(1).max(100),
  repos: z.array(Repo),
});
export type LanguageGroup = z.infer<typeof LanguageGroup>;

/** `reports.aggregated`: every page joined, deduplicated and grouped, ready to be written out. */
export const ReportAggregated = z
  .strictObject({
    reportId: ReportId,
    since: IsoDate,
    period: ReportPeriod,
    groups: z.array(LanguageGroup),
  })
  .describe('A complete report, grouped by language');
export type ReportAggregated = z.infer<typeof ReportAggregated>;
