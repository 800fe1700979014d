import { z } from 'zod';
import { ReportId } from './scalars.js';

export const ReportStage = z.enum(['request', 'fetch', 'aggregate', 'import']);
export type ReportStage = z.infer<typeof ReportStage>;

/**
 * Why a report failed. Shared with the report status so a client watching the KV key sees the
 * same error as a subscriber of `reports.failed`. Callers branch on `code`, never on `message`.
 */
export const ReportError = z.strictObject({
  stage: ReportStage,
  code: z.string().min(1).max(64),
  message: z.string().max(2000),
});
export type ReportError = z.infer<typeof ReportError>;

/** `reports.failed`: a report will not complete. */
export const ReportFailed = z
  .strictObject({
    reportId: ReportId,
    ...ReportError.shape,
  })
  .describe('A report failed and will not complete');
export type ReportFailed = z.infer<typeof ReportFailed>;
