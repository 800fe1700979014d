import { envDurationMs, envInt } from '@hotrepos/config';
import { z } from 'zod';

/** `grouped`: the original's one row per language; `detailed`: one row per repository. */
export const ReportFormat = z.enum(['grouped', 'detailed']);
export type ReportFormat = z.infer<typeof ReportFormat>;

const positiveInt = () => envInt().pipe(z.int().min(1));

export const ImporterEnv = z.object({
  /** Where the CSV files go, one folder per report. Created when the first report is written, not at start-up (see atomic-write.ts). */
  MEDIA_ROOT: z.string().default('./media'),
  REPORT_FORMAT: ReportFormat.default('grouped'),
  /** Reports written at once by this replica. */
  IMPORTER_CONCURRENCY: positiveInt().default(4),
  /** Deliveries of a `reports.aggregated` that keeps failing (say, MEDIA_ROOT not writable) before it is dead-lettered and the report failed. */
  IMPORTER_MAX_DELIVER: positiveInt().default(5),
  /** First retry delay; it doubles per failed delivery, with jitter, up to a minute. */
  IMPORTER_RETRY_BACKOFF: envDurationMs().default(1_000),
});

export type ImporterConfig = z.output<typeof ImporterEnv>;
