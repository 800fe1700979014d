import type { ReportPeriod } from '@hotrepos/contracts';

const DAYS: Record<ReportPeriod, number> = { day: 1, week: 7, month: 30 };

/** Today in UTC, `YYYY-MM-DD`. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The first day of the period that ends on `refDate`: the original counted a day, a week or a
 * month back from today, so `week` on 2026-11-27 is 2026-11-20. A month is 30 days, as there.
 */
export function sinceDate(period: ReportPeriod, refDate: string): string {
  const ref = new Date(`${refDate}T00:00:00Z`);
  ref.setUTCDate(ref.getUTCDate() - DAYS[period]);
  return utcDate(ref);
}
