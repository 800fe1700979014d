/**
 * `npm start -- --offline`: the GitHub fixture (libs/github-fixture) stands in for GitHub, so a
 * report needs neither a token nor a network. It runs inside the launcher, so it ends with the
 * launcher however that ends. Its search budget is off: a person trying the services out is not
 * a client under test.
 */
import { startGithubFixture } from '@hotrepos/github-fixture';

export interface OfflineGithub {
  /** What the fetchers read instead of GitHub's settings. */
  readonly env: { readonly GITHUB_API_URL: string; readonly GITHUB_TOKEN: undefined };
  stop(): Promise<void>;
}

export async function startOfflineGithub(): Promise<OfflineGithub> {
  const fixture = await startGithubFixture({ rateLimit: false });
  // A real token has no business going to a stand-in.
  return { env: { GITHUB_API_URL: fixture.url, GITHUB_TOKEN: undefined }, stop: () => fixture.stop() };
}
