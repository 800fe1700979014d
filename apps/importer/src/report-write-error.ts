/**
 * The CSV could not be written under MEDIA_ROOT (not writable, disk full, not a directory...).
 * Not an `UnrecoverableError`: the bus retries it with backoff, since a volume may come back, and
 * dead-letters the message once the deliveries are used up.
 */
export class ReportWriteError extends Error {
  override readonly name = 'ReportWriteError';
  readonly code = 'REPORT_WRITE_FAILED';
  constructor(
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`cannot write report file ${path}: ${options?.cause instanceof Error ? options.cause.message : String(options?.cause)}`, options);
  }
}
