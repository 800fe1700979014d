import type { Transport } from '@hotrepos/bus';
import type { ReportStatus } from '@hotrepos/contracts';
import { ReportFailedError, ReportWatchEndedError } from './errors.js';
import { watchReport, type WatchReportOptions } from './watch-report.js';

export interface WaitForReportOptions extends WatchReportOptions {
  /** Called with every status seen, the final one included. */
  readonly onProgress?: (status: ReportStatus) => void;
}

/**
 * Waits until the report is ready and returns that status (whose `file` `downloadReport` reads).
 * Throws `ReportFailedError` when it failed, `ReportTimeoutError` after `timeoutMs`. Given the
 * connection's events, it rides out outages until then (see `WatchReportOptions.connection`).
 */
export async function waitForReport(transport: Transport, reportId: string, opts: WaitForReportOptions = {}): Promise<ReportStatus> {
  const { onProgress, ...watchOpts } = opts;
  for await (const status of watchReport(transport, reportId, watchOpts)) {
    onProgress?.(status);
    if (status.state === 'failed') throw new ReportFailedError(status);
    if (status.state === 'ready') return status;
  }
  // Only for the compiler: watchReport throws rather than end before a final state.
  throw new ReportWatchEndedError(reportId);
}
