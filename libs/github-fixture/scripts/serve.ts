/**
 * Runs the fixture by hand, e.g. to point a fetcher or curl at it:
 * `node --conditions=@hotrepos/source --import tsx libs/github-fixture/scripts/serve.ts [port] [--rate-limit]`.
 * The budget is off unless `--rate-limit` is given, since a person poking at it is not a client under test.
 */
import { startGithubFixture } from '../src/index.js';

const args = process.argv.slice(2);
const port = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 0);
const fixture = await startGithubFixture({ port, rateLimit: args.includes('--rate-limit') ? {} : false });
console.log(`github fixture on ${fixture.url}, e.g. ${fixture.url}/search/repositories?q=created:%3E%3D2024-01-01&sort=stars&per_page=5`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fixture.stop().then(() => console.log(`stopped; ${fixture.stats().requests} requests served`));
  });
}
