/**
 * What the gateway answers a client with besides success: each class carries the HTTP status it
 * maps to, and its `code` is what the client sees in `{ error: { code, message, requestId } }`.
 */

/** The body, params or query do not satisfy the route's zod schema; the message names each field. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  readonly code = 'VALIDATION_FAILED';
  readonly statusCode = 400;
}

/** The body is not JSON although its content type says so (or is empty). */
export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
  readonly code = 'INVALID_JSON';
  readonly statusCode = 400;
}

/** The body is larger than `GATEWAY_BODY_LIMIT`. A 400, not a 413, as the issue asks. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly code = 'BODY_TOO_LARGE';
  readonly statusCode = 400;
  constructor(
    readonly limitBytes: number,
    options?: ErrorOptions,
  ) {
    super(`request body is larger than the limit of ${limitBytes} bytes`, options);
  }
}

/** The `Idempotency-Key` was sent with another request within the last day; the report it named stands. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly statusCode = 422;
  constructor(options?: ErrorOptions) {
    super('this Idempotency-Key was already used with a different request; send a new key for a new request', options);
  }
}

/** A body in a content type other than JSON. */
export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly statusCode = 415;
}

/** No route for this method and path. */
export class RouteNotFoundError extends Error {
  override readonly name = 'RouteNotFoundError';
  readonly code = 'ROUTE_NOT_FOUND';
  readonly statusCode = 404;
  constructor(
    readonly method: string,
    readonly url: string,
    options?: ErrorOptions,
  ) {
    super(`no route for ${method} ${url}`, options);
  }
}

/** No status in the `report-status` bucket under this id (never requested, not yet created, or expired). */
export class ReportNotFoundError extends Error {
  override readonly name = 'ReportNotFoundError';
  readonly code = 'REPORT_NOT_FOUND';
  readonly statusCode = 404;
  constructor(
    readonly reportId: string,
    options?: ErrorOptions,
  ) {
    super(`report ${reportId} not found`, options);
  }
}

/** The report's stored CSV cannot be parsed; answered as a 500 and reported to the admins. */
export class ReportCsvUnreadableError extends Error {
  override readonly name = 'ReportCsvUnreadableError';
  readonly code = 'REPORT_CSV_UNREADABLE';
  constructor(
    readonly reportId: string,
    readonly objectKey: string,
    options?: ErrorOptions,
  ) {
    super(`report ${reportId}: ${objectKey} is not a CSV this gateway can read: ${options?.cause instanceof Error ? options.cause.message : String(options?.cause)}`, options);
  }
}

/**
 * `GATEWAY_SSE_MAX_STREAMS` event streams are open on this replica already. Each holds a KV watch
 * (a consumer on the server) for as long as the client likes, so their number is bounded; a 503
 * with `Retry-After` tells an `EventSource` to come back, and the admins hear of the overload.
 */
export class TooManyStreamsError extends Error {
  override readonly name = 'TooManyStreamsError';
  readonly code = 'TOO_MANY_STREAMS';
  readonly statusCode = 503;
  constructor(
    readonly limit: number,
    options?: ErrorOptions,
  ) {
    super(`this gateway already serves its limit of ${limit} event streams; retry shortly`, options);
  }
}
