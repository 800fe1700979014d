/** A body that is not the JSON it claims to be; `message` says where it went wrong. */
export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
  readonly code = 'MALFORMED_JSON';
  constructor(detail: string, options?: ErrorOptions) {
    super(`not valid JSON: ${detail}`, options);
  }
}
