/**
 * Throttles `errors.report` into digests: the first report after a quiet spell opens a window,
 * every report until it closes is counted in, and at its end one digest goes out. A storm of
 * identical errors thus costs one e-mail per window, carrying the count.
 */
import type { ErrorReport } from '@hotrepos/contracts';
import type { ErrorDigestData } from '../templates/error-digest.js';
import { ErrorTally } from './error-tally.js';

export interface ErrorDigesterOptions {
  readonly windowMs: number;
  /** Fingerprints listed per digest; reports with further ones are only counted. */
  readonly maxFingerprints: number;
  readonly now: () => Date;
  /** Sends one digest; must not reject (its failures are its own to log). */
  readonly send: (digest: ErrorDigestData) => Promise<void>;
}

export interface ErrorDigester {
  record(report: ErrorReport): void;
  /** Closes the open window now and waits until every digest is sent or given up on. */
  flush(): Promise<void>;
}

export function createErrorDigester({ windowMs, maxFingerprints, now, send }: ErrorDigesterOptions): ErrorDigester {
  let open: { readonly tally: ErrorTally; readonly timer: NodeJS.Timeout } | undefined;
  const sending = new Set<Promise<void>>();

  const close = () => {
    if (!open) return;
    const { tally, timer } = open;
    open = undefined;
    clearTimeout(timer);
    const task = send(tally.digest(now())).finally(() => sending.delete(task));
    sending.add(task);
  };

  return {
    record(report) {
      open ??= { tally: new ErrorTally(now(), maxFingerprints), timer: setTimeout(close, windowMs) };
      open.tally.record(report);
    },
    async flush() {
      close();
      await Promise.all(sending);
    },
  };
}
