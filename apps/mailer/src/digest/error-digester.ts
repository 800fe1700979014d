/**
 * Throttles `errors.report` into digests: the first report after a quiet spell opens a window,
 * every report until it closes is counted in, and at its end one digest goes out. A storm of
 * identical errors thus costs one e-mail per window, carrying the count.
 *
 * A report is only as safe as its digest, so reports are held: `record` gives back the window's
 * outcome, and the handler acknowledges the message only once the digest is sent (or given up). A
 * mailer killed with a window open leaves them unacknowledged on the server, to be counted into the
 * next digest. Holding is bounded: once a window holds `maxHeld` reports, a further report of a
 * fingerprint it already holds is counted and released at once, so a storm of any size is still
 * one digest per window and every distinct error keeps at least one report held; a crash then can
 * only understate a storm's count.
 */
import type { ErrorReport } from '@hotrepos/contracts';
import type { ErrorDigestData } from '../templates/error-digest.js';
import { ErrorTally } from './error-tally.js';
import type { DigestOutcome } from './send-digest.js';

export interface ErrorDigesterOptions {
  readonly windowMs: number;
  /** Fingerprints listed per digest; reports with further ones are only counted. */
  readonly maxFingerprints: number;
  /** Reports a window holds before it releases repeats of fingerprints it already holds at once. */
  readonly maxHeld: number;
  readonly now: () => Date;
  /** Sends one digest; must not reject (its failures are its own to log). */
  readonly send: (digest: ErrorDigestData) => Promise<DigestOutcome>;
}

/** What to do with a recorded report's message: wait for its window's digest, or acknowledge it now. */
export type Recorded = Promise<DigestOutcome> | 'released';

export interface ErrorDigester {
  /**
   * Counts the report into the open window (opening one if none is). `id` names the message it
   * came in (its stream sequence): a copy delivered again while the window still holds it is not
   * counted twice. After `flush` no window opens: a report is `deferred` at once, for another
   * replica or the next start to count.
   */
  record(report: ErrorReport, id: number): Recorded;
  /** Closes the open window now and waits until every digest is sent or given up on. */
  flush(): Promise<void>;
}

interface Window {
  readonly tally: ErrorTally;
  readonly held: Set<number>;
  readonly timer: NodeJS.Timeout;
  readonly outcome: Promise<DigestOutcome>;
  readonly settle: (outcome: DigestOutcome) => void;
}

export function createErrorDigester({ windowMs, maxFingerprints, maxHeld, now, send }: ErrorDigesterOptions): ErrorDigester {
  let open: Window | undefined;
  let flushed = false;
  const sending = new Set<Promise<void>>();

  const close = () => {
    if (!open) return;
    const { tally, timer, settle } = open;
    open = undefined;
    clearTimeout(timer);
    // A send that broke its promise not to reject still releases the window's reports, to come back later.
    const task = send(tally.digest(now()))
      .then(settle, () => settle('deferred'))
      .finally(() => sending.delete(task));
    sending.add(task);
  };

  const openWindow = (): Window => {
    let settle!: (outcome: DigestOutcome) => void;
    const outcome = new Promise<DigestOutcome>((resolve) => (settle = resolve));
    return { tally: new ErrorTally(now(), maxFingerprints), held: new Set(), timer: setTimeout(close, windowMs), outcome, settle };
  };

  return {
    record(report, id) {
      if (flushed) return Promise.resolve('deferred');
      const window = (open ??= openWindow());
      if (window.held.has(id)) return window.outcome;
      const hold = window.held.size < maxHeld || !window.tally.has(report.fingerprint);
      window.tally.record(report);
      if (!hold) return 'released';
      window.held.add(id);
      return window.outcome;
    },
    async flush() {
      flushed = true;
      close();
      await Promise.all(sending);
    },
  };
}
