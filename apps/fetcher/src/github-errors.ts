/**
 * How a call to GitHub's search fails. The handler turns each into the bus's retry policy;
 * callers branch on the class, never on the message.
 */

/** GitHub could not be reached, timed out, or answered 5xx: worth retrying. */
export class GithubUnavailableError extends Error {
  override readonly name = 'GithubUnavailableError';
  readonly code = 'GITHUB_UNAVAILABLE';
  constructor(
    message: string,
    /** The HTTP status, when GitHub answered at all. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A 2xx answer whose body is not the JSON search result: GitHub sometimes sends broken bodies, so this is retried too. */
export class GithubMalformedResponseError extends Error {
  override readonly name = 'GithubMalformedResponseError';
  readonly code = 'GITHUB_MALFORMED_RESPONSE';
}

/** A 4xx answer other than a rate limit (401, 404, 422...): the same request will fail again. */
export class GithubRejectedError extends Error {
  override readonly name = 'GithubRejectedError';
  readonly code = 'GITHUB_REJECTED';
  constructor(
    readonly status: number,
    /** The `message` of GitHub's error body, or the status line when there is none. */
    readonly githubMessage: string,
    options?: ErrorOptions,
  ) {
    super(`GitHub rejected the search with ${status}: ${githubMessage}`, options);
  }
}
