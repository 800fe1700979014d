/**
 * Errors of the client helpers. Callers branch on the class or `code`, never on message text.
 */
import type { ReportError, ReportState, ReportStatus } from '@hotrepos/contracts';

/** The report ended in `failed`; `error` is the status's reason (stage, code, message) when it gave one. */
export class ReportFailedError extends Error {
  override readonly name = 'ReportFailedError';
  readonly code = 'REPORT_FAILED';
  readonly reportId: string;
  readonly error: ReportError | undefined;
  constructor(
    readonly status: ReportStatus,
    options?: ErrorOptions,
  ) {
    const reason = status.error ? `${status.error.stage}: ${status.error.message} (${status.error.code})` : 'no reason given';
    super(`report ${status.reportId} failed at ${reason}`, options);
    this.reportId = status.reportId;
    this.error = status.error;
  }
}

/** The report reached no final state in time; `last` is the latest status seen, if any. */
export class ReportTimeoutError extends Error {
  override readonly name = 'ReportTimeoutError';
  readonly code = 'REPORT_TIMEOUT';
  constructor(
    readonly reportId: string,
    readonly timeoutMs: number,
    readonly last: ReportStatus | undefined,
    options?: ErrorOptions,
  ) {
    const seen = last ? `still ${last.state} (${last.pagesDone}/${last.pagesTotal} pages)` : 'no status seen';
    super(`report ${reportId} not finished after ${timeoutMs} ms: ${seen}`, options);
  }
}

/** The status watch ended before a final state, typically because the connection was closed. */
export class ReportWatchEndedError extends Error {
  override readonly name = 'ReportWatchEndedError';
  readonly code = 'REPORT_WATCH_ENDED';
  constructor(
    readonly reportId: string,
    options?: ErrorOptions,
  ) {
    super(`watch of report ${reportId} ended before the report finished`, options);
  }
}

/** A download was asked for a report whose status names no file (not ready yet, or failed). */
export class ReportNotReadyError extends Error {
  override readonly name = 'ReportNotReadyError';
  readonly code = 'REPORT_NOT_READY';
  constructor(
    readonly reportId: string,
    readonly state: ReportState,
    options?: ErrorOptions,
  ) {
    super(`report ${reportId} has no file: it is ${state}`, options);
  }
}

/** The status names a file that is not in the object store (deleted, or the bucket was reset). */
export class ReportFileMissingError extends Error {
  override readonly name = 'ReportFileMissingError';
  readonly code = 'REPORT_FILE_MISSING';
  constructor(
    readonly reportId: string,
    readonly objectKey: string,
    options?: ErrorOptions,
  ) {
    super(`report ${reportId}: object ${objectKey} is missing from the object store`, options);
  }
}

/** The stored bytes are not the ones the status describes (size or SHA-256 differ). */
export class ReportIntegrityError extends Error {
  override readonly name = 'ReportIntegrityError';
  readonly code = 'REPORT_INTEGRITY';
  constructor(
    readonly reportId: string,
    readonly objectKey: string,
    readonly expected: { readonly bytes: number; readonly sha256: string },
    readonly actual: { readonly bytes: number; readonly sha256: string },
    options?: ErrorOptions,
  ) {
    super(
      `report ${reportId}: object ${objectKey} is ${actual.bytes} bytes with sha256 ${actual.sha256}, expected ${expected.bytes} bytes with sha256 ${expected.sha256}`,
      options,
    );
  }
}
