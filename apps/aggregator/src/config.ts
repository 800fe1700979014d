import { envDurationMs, envInt } from '@hotrepos/config';
import { z } from 'zod';

export const AggregatorEnv = z.object({
  /** A report that makes no progress for this long fails, instead of waiting forever (Celery's chord_unlock). */
  REPORT_DEADLINE: envDurationMs().pipe(z.number().positive()).default(5 * 60_000),
  /** How often stalled reports are looked for. */
  DEADLINE_SWEEP_INTERVAL: envDurationMs().pipe(z.number().min(100)).default(5_000),
  /** Messages handled at once per subject in this replica. */
  AGGREGATOR_CONCURRENCY: envInt().pipe(z.int().positive()).default(16),
});

export type AggregatorConfig = z.output<typeof AggregatorEnv>;
