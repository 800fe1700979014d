/**
 * GitHub's repository search over one keep-alive connection pool. Rate-limit answers are waited
 * out here, in-process, and the request sent again: a rate limit is not a failure of the job, so
 * it must not spend one of the job's deliveries. Every other outcome is returned or thrown as a
 * `github-errors.ts` class for the handler to turn into the bus's retry policy.
 */
import type { Logger } from '@hotrepos/logging';
import { Pool, type Dispatcher } from 'undici';
import { GithubRejectedError, GithubUnavailableError } from './github-errors.js';
import { readRateLimit, type RateLimitObservation } from './rate-limit-headers.js';
import type { AcquireOptions, RateLimitGate } from './rate-limit-gate.js';
import { searchHeaders, searchPath, type SearchQuery } from './search-request.js';
import type { SharedBudget } from './shared-budget.js';
import { SearchPageReader, type SearchPage } from './search-response.js';

export interface GithubSearchOptions {
  readonly apiUrl: string;
  readonly token: string | undefined;
  /** Connections kept open; one per concurrent job is enough. */
  readonly connections: number;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly gate: RateLimitGate;
  /** The budget shared with the other replicas; without it only this replica's gate paces requests. */
  readonly budget?: SharedBudget;
}

export interface SearchCall extends AcquireOptions {
  readonly log: Logger;
}

// Longer than undici's 4 s default: pages of one report are asked for seconds apart, often after a rate-limit wait.
const KEEP_ALIVE_MS = 30_000;

export class GithubSearch {
  readonly #pool: Pool;
  readonly #apiUrl: URL;
  readonly #headers: Record<string, string>;
  readonly #gate: RateLimitGate;
  readonly #budget: SharedBudget | undefined;

  constructor({ apiUrl, token, connections, connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs, gate, budget }: GithubSearchOptions) {
    this.#apiUrl = new URL(apiUrl);
    this.#pool = new Pool(this.#apiUrl.origin, {
      connections,
      connectTimeout: connectTimeoutMs,
      headersTimeout: headersTimeoutMs,
      bodyTimeout: bodyTimeoutMs,
      keepAliveTimeout: KEEP_ALIVE_MS,
    });
    this.#headers = searchHeaders(token);
    this.#gate = gate;
    this.#budget = budget;
  }

  async page(query: SearchQuery, call: SearchCall): Promise<SearchPage> {
    const path = searchPath(this.#apiUrl, query);
    for (;;) {
      const reservation = await this.#budget?.reserve(call);
      let response: Dispatcher.ResponseData;
      let rate: RateLimitObservation | undefined;
      let answeredAt = 0;
      try {
        const permit = await this.#gate.acquire(call);
        try {
          response = await this.#pool.request({ method: 'GET', path, headers: this.#headers });
        } catch (err) {
          permit.release();
          throw new GithubUnavailableError(`GitHub search request failed: ${describe(err)}`, undefined, { cause: err });
        }
        answeredAt = Date.now();
        rate = readRateLimit(response.statusCode, response.headers, answeredAt);
        permit.release(rate);
      } finally {
        // Settled whatever happened, or a probe would hold every replica for its whole lease.
        await reservation?.settle(rate).catch((err: unknown) => call.log.warn({ err }, 'could not update the shared GitHub budget'));
      }
      const status = response.statusCode;
      if (rate.retryAt === undefined) return readAnswer(response);
      await response.body.dump();
      call.log.warn({ status, remaining: rate.remaining, waitMs: Math.max(0, rate.retryAt - answeredAt) }, 'rate limited by GitHub; waiting for the reset');
    }
  }

  /** Lets requests in flight finish, then closes the connections. */
  close(): Promise<void> {
    return this.#pool.close();
  }
}

async function readAnswer({ statusCode: status, body }: Dispatcher.ResponseData): Promise<SearchPage> {
  if (status >= 400 && status < 500) throw new GithubRejectedError(status, await errorMessage(body, status));
  if (status < 200 || status >= 300) {
    await body.dump();
    throw new GithubUnavailableError(`GitHub answered ${status}`, status);
  }
  const page = new SearchPageReader();
  // Reading and parsing fail for different reasons: a body that broke off is GitHub unavailable, a bad one is not.
  let unreadable: unknown;
  try {
    for await (const chunk of body) {
      try {
        page.push(chunk);
      } catch (err) {
        unreadable = err;
        // Leaving the loop destroys the body, so this connection is not reused.
        break;
      }
    }
  } catch (err) {
    throw new GithubUnavailableError(`GitHub search response broke off: ${describe(err)}`, status, { cause: err });
  }
  if (unreadable !== undefined) throw unreadable;
  return page.end();
}

/** GitHub's error bodies are `{ "message": ..., "documentation_url": ... }`; anything else is summed up by the status. */
async function errorMessage(body: Dispatcher.ResponseData['body'], status: number): Promise<string> {
  try {
    const json: unknown = await body.json();
    if (typeof json === 'object' && json !== null && 'message' in json && typeof json.message === 'string' && json.message !== '') return json.message;
  } catch {
    // An unreadable error body still leaves the status to report.
  }
  return `HTTP ${status}`;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? `${err.message} (${code})` : err.message;
}
