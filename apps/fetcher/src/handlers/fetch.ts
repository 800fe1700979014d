/**
 * `reports.fetch`: fetch one page of search results and hand it to the aggregator as
 * `reports.page`. GitHub's failures become the bus's policy: a rejected search fails the report
 * at once; an unavailable GitHub is retried, and on the last allowed delivery the report is failed
 * visibly, so it does not sit waiting for the aggregator's deadline.
 */
import { TransientError, UnrecoverableError, type MessageContext } from '@hotrepos/bus';
import { Subjects, type PayloadOf } from '@hotrepos/contracts';
import type { Logger } from '@hotrepos/logging';
import type { FetcherContext } from '../fetcher-context.js';
import { GithubMalformedResponseError, GithubRejectedError, GithubUnavailableError } from '../github-errors.js';
import type { SearchPage } from '../search-response.js';

// The limit of `ReportFailed.message`.
const MAX_FAILURE_MESSAGE = 2000;

export async function handleFetch(app: FetcherContext, job: PayloadOf<'reports.fetch'>, ctx: MessageContext): Promise<void> {
  const { reportId, page } = job;
  const log = app.log.child({ reportId, page });
  let result: SearchPage;
  try {
    result = await app.github.page(job, { signal: app.stopping, onWaiting: () => ctx.working(), log });
  } catch (err) {
    throw await policyFor(app, job, ctx, log, err);
  }
  // The msg id drops a second copy when a redelivered job is fetched again within the stream's duplicate window.
  await app.bus.publish(Subjects.ReportsPage, { reportId, page, ...result }, { msgId: `${reportId}:page:${page}` });
  log.info({ items: result.items.length, totalCount: result.totalCount, incomplete: result.incompleteResults, deliveries: ctx.deliveryCount }, 'page fetched');
}

async function policyFor(app: FetcherContext, job: PayloadOf<'reports.fetch'>, ctx: MessageContext, log: Logger, err: unknown): Promise<Error> {
  if (err instanceof GithubRejectedError) {
    await failReport(app, job, `github_${err.status}`, err.githubMessage);
    log.warn({ err, status: err.status }, 'GitHub rejected the search; report failed');
    return new UnrecoverableError(err.message, { cause: err });
  }
  if (err instanceof GithubUnavailableError || err instanceof GithubMalformedResponseError) {
    if (ctx.deliveryCount >= app.maxDeliver) {
      await failReport(app, job, 'github_unavailable', `page ${job.page}: ${err.message}`);
      log.warn({ err, deliveries: ctx.deliveryCount }, 'GitHub unavailable on the last delivery; report failed');
    }
    return new TransientError(err.message, { cause: err });
  }
  if (app.stopping.aborted) {
    // Stopped while waiting for a rate-limit reset: the job goes back, and waits out the reset wherever it lands next.
    return new TransientError('fetcher stopped while waiting for the rate-limit reset', { cause: err, retryAfterMs: app.gate.closedForMs() });
  }
  return err instanceof Error ? err : new Error(String(err));
}

async function failReport(app: FetcherContext, { reportId }: PayloadOf<'reports.fetch'>, code: string, message: string): Promise<void> {
  // One failure per report, under the id the aggregator's deadline uses too: whichever comes first is the one announced.
  await app.bus.publish(Subjects.ReportsFailed, { reportId, stage: 'fetch', code, message: message.slice(0, MAX_FAILURE_MESSAGE) }, { msgId: `${reportId}:failed` });
}
