import { z } from 'zod';

/** How far back from the reference date a report looks for newly created repositories. */
export const ReportPeriod = z.enum(['day', 'week', 'month']);
export type ReportPeriod = z.infer<typeof ReportPeriod>;
