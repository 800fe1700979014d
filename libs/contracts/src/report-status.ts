import { z } from 'zod';
import { ReportError } from './report-failed.js';
import { ReportFile } from './report-file.js';
import { ReportPeriod } from './report-period.js';
import { IsoDate, IsoDateTime, ReportId } from './scalars.js';

export const ReportState = z.enum(['queued', 'fetching', 'aggregating', 'importing', 'ready', 'failed']);
export type ReportState = z.infer<typeof ReportState>;

/**
 * The value under a report's key in the `report-status` bucket. It is a whole snapshot, not a
 * delta, because a client that starts watching late only sees the latest value.
 */
export const ReportStatus = z
  .strictObject({
    reportId: ReportId,
    state: ReportState,
    pagesDone: z.int().nonnegative(),
    pagesTotal: z.int().nonnegative(),
    period: ReportPeriod.optional(),
    since: IsoDate.optional(),
    file: ReportFile.optional().describe('Set once the state is ready'),
    error: ReportError.optional().describe('Set once the state is failed'),
    createdAt: IsoDateTime.optional(),
    updatedAt: IsoDateTime,
  })
  .describe('Progress and outcome of a report');
export type ReportStatus = z.infer<typeof ReportStatus>;
