import { backoffDelay, type BackoffPolicy, type Transport } from '@hotrepos/bus';
import type { ReportStatus } from '@hotrepos/contracts';
import { isFinal, ReportStatusStore } from '@hotrepos/reports';
import type { ConnectionEvents } from './connection-events.js';
import { ReportTimeoutError, ReportWatchEndedError } from './errors.js';

export interface WatchReportOptions {
  /** Stops the watch; the iteration then throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** Gives up after this long without a final state, with a `ReportTimeoutError`. */
  readonly timeoutMs?: number;
  /**
   * The connection's events (`natsConnectionEvents`). With them the watch outlives a broker restart or a network outage:
   * after a reconnect it is opened again, and so is a watch that ended on its own (with backoff,
   * as often as it takes), until `timeoutMs` or the signal; `closed` ends it with
   * `ReportWatchEndedError`. Without them a watch that ends early throws `ReportWatchEndedError`,
   * since it cannot tell an outage from a connection closed for good.
   */
  readonly connection?: ConnectionEvents;
  /** Pauses between attempts to open the watch again; `REOPEN_BACKOFF` by default. */
  readonly reopenBackoff?: BackoffPolicy;
}

/** Quick enough to catch a broker that is back, slow enough not to hammer one that is still starting. */
export const REOPEN_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5_000 };

type StatusWatch = Awaited<ReturnType<ReportStatusStore['watch']>>;

/**
 * The report's status as it changes: the current one first (if the report exists yet), then every
 * update, ending after `ready` or `failed`. Watching may start before the aggregator has created
 * the status, so a client can watch right after `requestReport`. A client that falls behind sees
 * fewer intermediate states, never a wrong final one: each value is a whole snapshot. On timeout
 * or abort, statuses already received are still given (a final one among them ends the watch
 * normally) before the error is thrown.
 *
 * A watch opened again starts from the current status, so nothing written during an outage is
 * missed; that first value is not given again when it is the last one given already.
 */
export async function* watchReport(transport: Transport, reportId: string, opts: WatchReportOptions = {}): AsyncGenerator<ReportStatus, void, undefined> {
  const { signal, timeoutMs, connection, reopenBackoff = REOPEN_BACKOFF } = opts;
  signal?.throwIfAborted();
  // Aborted with the error the watch ends with; stopping the current watch ends its iteration, and
  // the reason is thrown once the loop below has drained it.
  const end = new AbortController();
  let watch: StatusWatch | undefined;
  let last: ReportStatus | undefined;
  let reopenFailure: unknown;
  // Set by a reconnect: the broker is back, so the next attempt to open goes at once.
  let reconnected = false;
  let wake: (() => void) | undefined;
  const stopWith = (reason: unknown) => {
    if (!end.signal.aborted) end.abort(reason);
    watch?.stop();
  };
  const onAbort = () => stopWith(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => stopWith(new ReportTimeoutError(reportId, timeoutMs, last, reopenFailure === undefined ? undefined : { cause: reopenFailure })), timeoutMs);
  const unsubscribe = connection?.subscribe((event) => {
    if (event === 'disconnected') return;
    if (event === 'closed') return stopWith(new ReportWatchEndedError(reportId));
    // The watch may have survived the outage, or may wait for a consumer the broker no longer has
    // (nats.js notices only after a minute of missed heartbeats): a new one costs less than the doubt.
    reconnected = true;
    watch?.stop();
    wake?.();
  });

  const pause = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(pauseTimer);
        end.signal.removeEventListener('abort', onEnd);
        wake = undefined;
      };
      const pauseTimer = setTimeout(() => {
        done();
        resolve();
      }, ms);
      const onEnd = () => {
        done();
        reject(end.signal.reason);
      };
      end.signal.addEventListener('abort', onEnd, { once: true });
      wake = () => {
        done();
        resolve();
      };
    });

  const reopen = async (store: ReportStatusStore): Promise<StatusWatch> => {
    for (let attempt = 1; ; attempt++) {
      end.signal.throwIfAborted();
      if (!reconnected) await pause(backoffDelay(reopenBackoff, attempt));
      reconnected = false;
      try {
        const opened = await untilEnd(store.watch(reportId), end.signal, (late) => late.stop());
        reopenFailure = undefined;
        return opened;
      } catch (err) {
        if (end.signal.aborted) throw end.signal.reason;
        // A broker that has just restarted answers JetStream requests late or not at all for a moment.
        reopenFailure = err;
      }
    }
  };

  try {
    const store = await untilEnd(ReportStatusStore.open(transport), end.signal);
    watch = await untilEnd(store.watch(reportId), end.signal, (late) => late.stop());
    let reopened = false;
    for (;;) {
      for await (const status of watch) {
        const repeated = reopened && last !== undefined && JSON.stringify(status) === JSON.stringify(last);
        reopened = false;
        if (repeated) continue;
        last = status;
        yield status;
        if (isFinal(status)) return;
      }
      if (end.signal.aborted) throw end.signal.reason;
      if (!connection) throw new ReportWatchEndedError(reportId);
      watch = await reopen(store);
      reopened = true;
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    unsubscribe?.();
    watch?.stop();
  }
}

/**
 * `pending`, unless `end` aborts first: then its reason is thrown, and what `pending` gives too late
 * goes to `discard` (a watch opened after its caller gave up must not outlive it).
 */
async function untilEnd<T>(pending: Promise<T>, end: AbortSignal, discard: (late: T) => void = () => undefined): Promise<T> {
  const dropLate = () => void pending.then(discard, () => undefined);
  if (end.aborted) {
    dropLate();
    throw end.reason;
  }
  let rejectEnded: (reason: unknown) => void = () => undefined;
  const ended = new Promise<never>((_, reject) => (rejectEnded = reject));
  const onEnd = () => rejectEnded(end.reason);
  end.addEventListener('abort', onEnd, { once: true });
  try {
    return await Promise.race([pending, ended]);
  } catch (err) {
    if (end.aborted) dropLate();
    throw err;
  } finally {
    end.removeEventListener('abort', onEnd);
  }
}
