/**
 * One fetcher against a real nats-server and the GitHub fixture server over HTTP, with captures
 * of what it publishes and of everything it logs.
 */
import { NatsTransport, type Transport } from '@hotrepos/bus';
import { parseConfig } from '@hotrepos/config';
import { Subjects, type Repo, type ReportFetch } from '@hotrepos/contracts';
import { fixtureRepositories, startGithubFixture, type FixtureOptions, type FullRepo, type GithubFixture } from '@hotrepos/github-fixture';
import { createLogger } from '@hotrepos/logging';
import { createHotBus, type HotBus, type RunningService } from '@hotrepos/runtime';
import { captureSubject, startNatsServer, type Capture, type NatsServer } from '@hotrepos/testing';
import { startFetcher } from '../src/app.js';
import { FetcherEnv } from '../src/config.js';

export interface Harness {
  readonly nats: NatsServer;
  readonly github: GithubFixture;
  /** Publishes jobs, as the aggregator would. */
  readonly client: HotBus;
  readonly pages: Capture;
  readonly failures: Capture;
  readonly deadLetters: Capture;
  /** Every line the fetcher and its bus logged. */
  readonly logLines: string[];
  /** Starts a fetcher replica; `env` overrides the test defaults (fast retries). */
  startFetcher(env?: Record<string, string>): Promise<RunningService>;
  close(): Promise<void>;
}

export async function startHarness(fixture: FixtureOptions = {}): Promise<Harness> {
  const nats = await startNatsServer();
  const github = await startGithubFixture({ rateLimit: false, ...fixture });
  const transports: Transport[] = [];
  const running: RunningService[] = [];
  const connect = async () => {
    const transport = await NatsTransport.connect({ servers: nats.url });
    transports.push(transport);
    return transport;
  };
  const client = await createHotBus(await connect(), { service: 'test-client' });
  const captures = await Promise.all([Subjects.ReportsPage, Subjects.ReportsFailed, `dlq.${Subjects.ReportsFetch}`].map((s) => captureSubject(nats.url, s)));
  const [pages, failures, deadLetters] = captures as [Capture, Capture, Capture];
  const logLines: string[] = [];
  const logger = createLogger({ service: 'fetcher', level: 'trace', destination: { write: (line: string) => void logLines.push(line) } });

  return {
    nats,
    github,
    client,
    pages,
    failures,
    deadLetters,
    logLines,
    async startFetcher(env = {}) {
      const config = parseConfig(FetcherEnv, {
        GITHUB_API_URL: github.url,
        FETCHER_RETRY_INITIAL: '50ms',
        FETCHER_ACK_WAIT: '5s',
        ...env,
      });
      const bus = await createHotBus(await connect(), { service: 'fetcher', logger });
      const fetcher = await startFetcher({ bus, logger, config });
      running.push(fetcher);
      return fetcher;
    },
    async close() {
      for (const fetcher of running) await fetcher.stop();
      for (const capture of captures) await capture.stop();
      for (const transport of transports) await transport.close();
      await github.stop();
      await nats.stop();
    },
  };
}

export const job = (reportId: string, page = 1, perPage = 30, since = '2026-01-05'): ReportFetch => ({ reportId, since, page, perPage });

/** What the fetcher should make of the fixture's items: the test's own reading of the `Repo` contract. */
export function expectedItems({ since, page, perPage }: ReportFetch): Repo[] {
  return fixtureRepositories(since)
    .slice((page - 1) * perPage, page * perPage)
    .map((r: FullRepo) => ({
      id: r.id,
      fullName: r.full_name,
      htmlUrl: r.html_url,
      description: r.description,
      language: r.language,
      stars: r.stargazers_count,
      forks: r.forks_count,
      createdAt: r.created_at,
    }));
}
