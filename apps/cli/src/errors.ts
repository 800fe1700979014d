/** Errors of the CLI itself; `exit-codes.ts` turns each into its exit code. */

/** Bad flags or arguments, or input the contract rejects; the message says which flag and why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'CLI_USAGE';
}

/** What was asked for does not exist: an unknown report, a dead-letter sequence that is not there. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  readonly code = 'CLI_NOT_FOUND';
}

/** The broker at the given URL could not be reached or has no JetStream; a CLI says so at once instead of retrying. */
export class NatsUnreachableError extends Error {
  override readonly name = 'NatsUnreachableError';
  readonly code = 'NATS_UNREACHABLE';
  constructor(
    readonly url: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot use NATS at ${url}: ${reason}`, options);
  }
}
