/** The errors reported in one digest window, grouped by fingerprint, up to a cap on how many fingerprints are listed. */
import type { ErrorReport, ErrorReportHttp } from '@hotrepos/contracts';
import type { ErrorDigestData } from '../templates/error-digest.js';

// Enough to recognise an error by; fifty 50 kB stacks would bury the digest.
const MAX_SAMPLE_MESSAGE = 2_000;
const MAX_SAMPLE_STACK = 8_000;

interface Entry {
  readonly fingerprint: string;
  count: number;
  readonly service: string;
  readonly subject: string | undefined;
  /** The first report's request stands for all of them, like its message. */
  readonly http: ErrorReportHttp | undefined;
  firstSeenMs: number;
  lastSeenMs: number;
  readonly message: string;
  readonly stack: string | undefined;
}

export class ErrorTally {
  readonly #entries = new Map<string, Entry>();
  readonly #omittedFingerprints = new Set<string>();
  #omittedReports = 0;

  constructor(
    readonly openedAt: Date,
    readonly maxFingerprints: number,
  ) {}

  /** Whether a report with this fingerprint was counted in this window already. */
  has(fingerprint: string): boolean {
    return this.#entries.has(fingerprint) || this.#omittedFingerprints.has(fingerprint);
  }

  record(report: ErrorReport): void {
    const at = Date.parse(report.occurredAt);
    const entry = this.#entries.get(report.fingerprint);
    if (entry) {
      entry.count++;
      entry.firstSeenMs = Math.min(entry.firstSeenMs, at);
      entry.lastSeenMs = Math.max(entry.lastSeenMs, at);
    } else if (this.#entries.size < this.maxFingerprints) {
      this.#entries.set(report.fingerprint, {
        fingerprint: report.fingerprint,
        count: 1,
        service: report.service,
        subject: report.subject,
        http: report.http,
        firstSeenMs: at,
        lastSeenMs: at,
        message: report.message.slice(0, MAX_SAMPLE_MESSAGE),
        stack: report.stack?.slice(0, MAX_SAMPLE_STACK),
      });
    } else {
      this.#omittedFingerprints.add(report.fingerprint);
      this.#omittedReports++;
    }
  }

  /** The most frequent first. */
  digest(closedAt: Date): ErrorDigestData {
    const entries = [...this.#entries.values()]
      .sort((a, b) => b.count - a.count || a.firstSeenMs - b.firstSeenMs)
      .map(({ firstSeenMs, lastSeenMs, subject, http, stack, ...rest }) => ({
        ...rest,
        ...(subject === undefined ? {} : { subject }),
        ...(http === undefined ? {} : { http }),
        ...(stack === undefined ? {} : { stack }),
        firstSeen: new Date(firstSeenMs).toISOString(),
        lastSeen: new Date(lastSeenMs).toISOString(),
      }));
    return {
      windowStart: this.openedAt.toISOString(),
      windowEnd: closedAt.toISOString(),
      entries,
      ...(this.#omittedReports > 0 ? { omitted: { fingerprints: this.#omittedFingerprints.size, reports: this.#omittedReports } } : {}),
    };
  }
}
