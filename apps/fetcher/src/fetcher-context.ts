import type { Logger } from '@hotrepos/logging';
import type { HotBus } from '@hotrepos/runtime';
import type { GithubSearch } from './github-search.js';
import type { RateLimitGate } from './rate-limit-gate.js';

/** What the handler shares with the rest of the replica. */
export interface FetcherContext {
  readonly bus: HotBus;
  readonly github: GithubSearch;
  readonly gate: RateLimitGate;
  /** Deliveries a job gets; the bus dead-letters it after the last. */
  readonly maxDeliver: number;
  /** Aborted when the replica stops: ends rate-limit waits, not requests in flight. */
  readonly stopping: AbortSignal;
  /** The `fetch` task logger (`LOG_DIR/fetcher.fetch.log` and stdout). */
  readonly log: Logger;
}
