import { ReportTimeoutError, ReportWatchEndedError } from '@hotrepos/client';
import { NatsUnreachableError, NotFoundError, UsageError } from './errors.js';

/** The CLI's exit codes, documented in `hotrepos --help`; scripts branch on them. */
export const ExitCode = {
  Ok: 0,
  /** The report failed, or anything else went wrong. */
  Failed: 1,
  Usage: 2,
  NotFound: 3,
  NatsUnreachable: 4,
  Timeout: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof UsageError) return ExitCode.Usage;
  if (err instanceof NotFoundError) return ExitCode.NotFound;
  // A watch ends early when the connection is lost: the broker went away under us.
  if (err instanceof NatsUnreachableError || err instanceof ReportWatchEndedError) return ExitCode.NatsUnreachable;
  if (err instanceof ReportTimeoutError) return ExitCode.Timeout;
  // A failed report (ReportFailedError), and anything unexpected.
  return ExitCode.Failed;
}
