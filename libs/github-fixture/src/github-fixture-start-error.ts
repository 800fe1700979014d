/** Raised when the fixture server cannot listen (the asked-for port is taken, for instance); `cause` holds the socket error. */
export class GithubFixtureStartError extends Error {
  override readonly name = 'GithubFixtureStartError';
  readonly code = 'GITHUB_FIXTURE_START';
}
