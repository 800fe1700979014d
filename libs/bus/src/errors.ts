/**
 * Errors raised by the bus. Callers branch on the class (or `code`), never on message text.
 */

/** A payload that does not satisfy its contract; `issues` is zod's readable report. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  readonly code = 'CONTRACT_VIOLATION';
  constructor(
    readonly subject: string,
    readonly issues: string,
    options?: ErrorOptions,
  ) {
    super(`${subject}: payload violates its contract: ${issues}`, options);
  }
}

export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(
    readonly subject: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`${subject}: payload of ${bytes} bytes exceeds the limit of ${limit} bytes`);
  }
}

export class UnknownSubjectError extends Error {
  override readonly name = 'UnknownSubjectError';
  readonly code = 'UNKNOWN_SUBJECT';
  constructor(readonly subject: string) {
    super(`no contract for subject ${subject}`);
  }
}

/** Thrown by a handler for a failure worth retrying: the message is redelivered after a backoff. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  readonly code = 'TRANSIENT';
  /** Overrides the computed backoff for this retry. */
  readonly retryAfterMs?: number;
  constructor(message: string, options?: ErrorOptions & { retryAfterMs?: number }) {
    super(message, options);
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Thrown by a handler for a failure no retry can fix: the message is dead-lettered at once. */
export class UnrecoverableError extends Error {
  override readonly name = 'UnrecoverableError';
  readonly code = 'UNRECOVERABLE';
}

/** A compare-and-set write lost the race: the key changed (or exists) since it was read. */
export class CasConflictError extends Error {
  override readonly name = 'CasConflictError';
  readonly code = 'CAS_CONFLICT';
  constructor(
    readonly bucket: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`${bucket}/${key} was changed concurrently`, options);
  }
}

export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code = 'TRANSPORT';
}

/** Nobody listens on the subject: a request cannot be answered however long one waits. */
export class NoRespondersError extends Error {
  override readonly name = 'NoRespondersError';
  readonly code = 'NO_RESPONDERS';
  constructor(
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(`no responders on ${subject}`, options);
  }
}

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  readonly code = 'REQUEST_TIMEOUT';
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`no reply on ${subject} within ${timeoutMs} ms`, options);
  }
}
