/**
 * The fetcher, built from its dependencies so tests can start it against a real nats-server and
 * the GitHub fixture server.
 */
import { DEFAULT_BACKOFF, type Subscription } from '@hotrepos/bus';
import { Subjects } from '@hotrepos/contracts';
import type { Logger, TaskLoggers } from '@hotrepos/logging';
import type { HotBus, RunningService } from '@hotrepos/runtime';
import type { FetcherConfig } from './config.js';
import type { FetcherContext } from './fetcher-context.js';
import { GithubSearch } from './github-search.js';
import { handleFetch } from './handlers/fetch.js';
import { RateLimitGate } from './rate-limit-gate.js';
import { BUDGET_BUCKET, budgetKey, SharedBudget } from './shared-budget.js';

// A budget unused for a day is forgotten; the next request probes GitHub afresh.
const BUDGET_TTL_MS = 24 * 60 * 60_000;

export interface FetcherDeps {
  readonly bus: HotBus;
  readonly logger: Logger;
  readonly tasks?: TaskLoggers;
  readonly config: FetcherConfig;
}

export async function startFetcher({ bus, logger, tasks, config }: FetcherDeps): Promise<RunningService> {
  const ackWaitMs = config.FETCHER_ACK_WAIT;
  // Well inside the ack wait, so a job held back by a rate limit is never handed to another replica.
  const heartbeatMs = Math.max(250, Math.floor(ackWaitMs / 3));
  const gate = new RateLimitGate({ heartbeatMs });
  const budget = new SharedBudget(await bus.transport.keyValue(BUDGET_BUCKET, { ttlMs: BUDGET_TTL_MS }), budgetKey(config.GITHUB_TOKEN), { heartbeatMs });
  const github = new GithubSearch({
    apiUrl: config.GITHUB_API_URL,
    token: config.GITHUB_TOKEN,
    connections: config.FETCHER_CONCURRENCY,
    connectTimeoutMs: config.GITHUB_CONNECT_TIMEOUT,
    headersTimeoutMs: config.GITHUB_HEADERS_TIMEOUT,
    bodyTimeoutMs: config.GITHUB_BODY_TIMEOUT,
    gate,
    budget,
  });
  const stopping = new AbortController();
  const app: FetcherContext = {
    bus,
    github,
    gate,
    maxDeliver: config.FETCHER_MAX_DELIVER,
    stopping: stopping.signal,
    log: tasks?.forTask('fetch') ?? logger.child({ task: 'fetch' }),
  };

  let subscription: Subscription;
  try {
    subscription = await bus.consume(Subjects.ReportsFetch, (job, ctx) => handleFetch(app, job, ctx), {
      concurrency: config.FETCHER_CONCURRENCY,
      maxDeliver: config.FETCHER_MAX_DELIVER,
      ackWaitMs,
      backoff: { initialMs: config.FETCHER_RETRY_INITIAL, maxMs: Math.max(config.FETCHER_RETRY_INITIAL, DEFAULT_BACKOFF.maxMs) },
    });
  } catch (err) {
    await github.close();
    throw err;
  }

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        // The subscription takes no new job from here on; aborting then ends rate-limit waits, while requests in flight finish.
        const drained = subscription.stop();
        stopping.abort();
        await drained;
        await github.close();
      })();
      return stopped;
    },
  };
}
