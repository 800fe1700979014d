import type { Transport } from '@hotrepos/bus';
import type { ReportStatus } from '@hotrepos/contracts';
import { isFinal, ReportStatusStore } from '@hotrepos/reports';
import { ReportTimeoutError, ReportWatchEndedError } from './errors.js';

export interface WatchReportOptions {
  /** Stops the watch; the iteration then throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** Gives up after this long without a final state, with a `ReportTimeoutError`. */
  readonly timeoutMs?: number;
}

/**
 * The report's status as it changes: the current one first (if the report exists yet), then every
 * update, ending after `ready` or `failed`. Watching may start before the aggregator has created
 * the status, so a client can watch right after `requestReport`. A client that falls behind sees
 * fewer intermediate states, never a wrong final one: each value is a whole snapshot. On timeout
 * or abort, statuses already received are still given (a final one among them ends the watch
 * normally) before the error is thrown.
 */
export async function* watchReport(transport: Transport, reportId: string, opts: WatchReportOptions = {}): AsyncGenerator<ReportStatus, void, undefined> {
  const { signal, timeoutMs } = opts;
  signal?.throwIfAborted();
  const watch = await (await ReportStatusStore.open(transport)).watch(reportId);
  let last: ReportStatus | undefined;
  let stoppedBy: unknown;
  // Stopping the watch ends its iteration; the reason is thrown once the loop below has drained.
  const stopWith = (reason: unknown) => {
    stoppedBy ??= reason;
    watch.stop();
  };
  const onAbort = () => stopWith(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  // An abort while the watch was being opened fired no listener: without this the watch would outlive its caller.
  if (signal?.aborted) onAbort();
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => stopWith(new ReportTimeoutError(reportId, timeoutMs, last)), timeoutMs);
  try {
    for await (const status of watch) {
      last = status;
      yield status;
      if (isFinal(status)) return;
    }
    throw stoppedBy ?? new ReportWatchEndedError(reportId);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    watch.stop();
  }
}
