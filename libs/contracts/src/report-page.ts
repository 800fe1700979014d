import { z } from 'zod';
import { Repo } from './repo.js';
import { MAX_PER_PAGE, PageNumber, ReportId } from './scalars.js';

/** `reports.page`: a fetched page. The page number lets the aggregator count a redelivered page once. */
export const ReportPage = z
  .strictObject({
    reportId: ReportId,
    page: PageNumber,
    totalCount: z.int().nonnegative().describe("GitHub's total_count: fewer results may mean fewer pages"),
    incompleteResults: z.boolean().describe("GitHub's incomplete_results: the search timed out on its side"),
    items: z.array(Repo).max(MAX_PER_PAGE),
  })
  .describe('One page of search results');
export type ReportPage = z.infer<typeof ReportPage>;
