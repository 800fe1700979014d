/**
 * Every subject the services publish or consume. Subjects are the only coupling between
 * services, so they are named here once and never spelled as literals elsewhere.
 */
export const Subjects = {
  ReportsRequest: 'reports.request',
  ReportsFetch: 'reports.fetch',
  ReportsPage: 'reports.page',
  ReportsAggregated: 'reports.aggregated',
  ReportsReady: 'reports.ready',
  ReportsFailed: 'reports.failed',
  MailSend: 'mail.send',
  ErrorsReport: 'errors.report',
} as const;

export type Subject = (typeof Subjects)[keyof typeof Subjects];

const subjectValues: ReadonlySet<string> = new Set(Object.values(Subjects));

/** Narrows a subject read off the wire (or from a DLQ entry) before it is used as a registry key. */
export function isSubject(value: string): value is Subject {
  return subjectValues.has(value);
}

/** Dead letters live under their own prefix so one stream (`dlq.>`) holds them apart from live traffic. */
export const DLQ_PREFIX = 'dlq.';

export function dlqSubject(subject: string): string {
  return `${DLQ_PREFIX}${subject}`;
}
