import { envDurationMs, envInt } from '@hotrepos/config';
import { z } from 'zod';

const positiveInt = () => envInt().pipe(z.int().positive());

export const FetcherEnv = z.object({
  /** GitHub's REST root; a GitHub Enterprise root (`https://host/api/v3`) or the fixture server work too. */
  GITHUB_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
  /** Sent as a Bearer token; without one GitHub allows 10 searches a minute instead of 30. */
  GITHUB_TOKEN: z.string().optional(),
  /** Jobs handled at once by this replica; also the size of its connection pool. */
  FETCHER_CONCURRENCY: positiveInt().default(4),
  GITHUB_CONNECT_TIMEOUT: envDurationMs().default(5_000),
  /** Until the response headers have arrived. */
  GITHUB_HEADERS_TIMEOUT: envDurationMs().default(30_000),
  /** Longest silence while the body streams in. */
  GITHUB_BODY_TIMEOUT: envDurationMs().default(30_000),
  /** Deliveries of a job before it is dead-lettered; on the last one a failure is announced on `reports.failed`. */
  FETCHER_MAX_DELIVER: positiveInt().default(5),
  /** First retry delay after a transient failure; it doubles on each further one. */
  FETCHER_RETRY_INITIAL: envDurationMs().default(1_000),
  /** Time a job may go without an ack or a heartbeat before NATS hands it to another replica. */
  FETCHER_ACK_WAIT: envDurationMs().default(30_000),
});

export type FetcherConfig = z.output<typeof FetcherEnv>;
