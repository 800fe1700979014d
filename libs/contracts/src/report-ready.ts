import { z } from 'zod';
import { ReportFile } from './report-file.js';
import { ReportId } from './scalars.js';

/** `reports.ready`: the report file exists and can be read. */
export const ReportReady = z
  .strictObject({
    reportId: ReportId,
    file: ReportFile,
  })
  .describe('A report was written');
export type ReportReady = z.infer<typeof ReportReady>;
