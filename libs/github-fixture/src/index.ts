export { FixtureInputError } from './fixture-input-error.js';
export type {
  FaultKind,
  FaultMatch,
  FaultRule,
  FixtureOptions,
  FixtureSettings,
  RateLimitOptions,
} from './fixture-options.js';
export { DEFAULT_RATE_LIMIT } from './fixture-options.js';
export type { FullRepo, RepoLicense, RepoOwner, RepositorySearchResponse } from './full-repo.js';
export { type GithubFixture, startGithubFixture } from './github-fixture.js';
export { GithubFixtureStartError } from './github-fixture-start-error.js';
export { type FixtureDataOptions, fixtureRepositories, type SortOrder } from './repositories.js';
export { type FixtureStats, LOG_LIMIT, type RequestLogEntry } from './request-stats.js';
export { SEARCH_RESULT_CAP } from './search-pages.js';
