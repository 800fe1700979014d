/**
 * Throttles `errors.report` into digests: the first report after a quiet spell opens a window,
 * every report until it closes is counted in, and at its end one digest goes out. A storm of
 * identical errors thus costs one e-mail per window, carrying the count.
 *
 * A report is only as safe as its digest: `record` resolves once the window's digest is sent (or
 * given up), so the handler acknowledges the message no earlier. A mailer killed with a window open
 * leaves its reports unacknowledged on the server, and they come back for the next digest.
 */
import type { ErrorReport } from '@hotrepos/contracts';
import type { ErrorDigestData } from '../templates/error-digest.js';
import { ErrorTally } from './error-tally.js';
import type { DigestOutcome } from './send-digest.js';

export interface ErrorDigesterOptions {
  readonly windowMs: number;
  /** Fingerprints listed per digest; reports with further ones are only counted. */
  readonly maxFingerprints: number;
  readonly now: () => Date;
  /** Sends one digest; must not reject (its failures are its own to log). */
  readonly send: (digest: ErrorDigestData) => Promise<DigestOutcome>;
}

export interface ErrorDigester {
  /**
   * Counts the report into the open window (opening one if none is) and resolves with what became
   * of that window's digest. After `flush` no window opens: a report is `deferred` at once, for
   * another replica or the next start to count.
   */
  record(report: ErrorReport): Promise<DigestOutcome>;
  /** Closes the open window now and waits until every digest is sent or given up on. */
  flush(): Promise<void>;
}

interface Window {
  readonly tally: ErrorTally;
  readonly timer: NodeJS.Timeout;
  readonly outcome: Promise<DigestOutcome>;
  readonly settle: (outcome: DigestOutcome) => void;
}

export function createErrorDigester({ windowMs, maxFingerprints, now, send }: ErrorDigesterOptions): ErrorDigester {
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
    return { tally: new ErrorTally(now(), maxFingerprints), timer: setTimeout(close, windowMs), outcome, settle };
  };

  return {
    record(report) {
      if (flushed) return Promise.resolve('deferred');
      open ??= openWindow();
      open.tally.record(report);
      return open.outcome;
    },
    async flush() {
      flushed = true;
      close();
      await Promise.all(sending);
    },
  };
}
