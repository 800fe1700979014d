/**
 * Where messages and state are kept in JetStream. Every service declares the same streams,
 * buckets and stores from here, so whichever starts first creates them identically.
 */
import { subjectMatches } from './subject-pattern.js';

export interface StreamSpec {
  name: string;
  subjects: readonly string[];
  maxAgeMs?: number;
  duplicateWindowMs?: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export const Streams = {
  Reports: {
    name: 'REPORTS',
    subjects: ['reports.>'],
    maxAgeMs: 7 * DAY_MS,
    // Longer than the scheduler's tick de-duplication, so replicas firing the same tick late still collapse to one request.
    duplicateWindowMs: 10 * MINUTE_MS,
  },
  Mail: { name: 'MAIL', subjects: ['mail.>'], maxAgeMs: 7 * DAY_MS, duplicateWindowMs: 2 * MINUTE_MS },
  Errors: { name: 'ERRORS', subjects: ['errors.>'], maxAgeMs: 7 * DAY_MS, duplicateWindowMs: 2 * MINUTE_MS },
  // Kept longest: a dead letter waits for a person, who may not look for a while.
  DeadLetters: { name: 'DLQ', subjects: ['dlq.>'], maxAgeMs: 30 * DAY_MS, duplicateWindowMs: 2 * MINUTE_MS },
} as const satisfies Record<string, StreamSpec>;

export const Buckets = {
  ReportStatus: 'report-status',
} as const;

export const ObjectStores = {
  Reports: 'reports',
} as const;

const allStreams: readonly StreamSpec[] = Object.values(Streams);

/** The stream that stores `subject`, or undefined when none does (the publish would not be persisted). */
export function streamFor(subject: string): StreamSpec | undefined {
  return allStreams.find((stream) => stream.subjects.some((pattern) => subjectMatches(pattern, subject)));
}
