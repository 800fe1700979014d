/** Raised when the fixture is given something it cannot serve: a `since` that is not a real YYYY-MM-DD day, a negative `totalCount`... */
export class FixtureInputError extends Error {
  override readonly name = 'FixtureInputError';
  readonly code = 'GITHUB_FIXTURE_INPUT';
}
