/**
 * A body that is not the JSON it claims to be (`message` says where it went wrong, `cause` holds
 * the parser's error), or valid JSON that names the items' key twice, where the reader would have
 * to guess which array counts.
 */
export class UnreadableJsonError extends Error {
  override readonly name = 'UnreadableJsonError';
  readonly code = 'MALFORMED_JSON';
}
