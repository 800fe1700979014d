/** One measured load against one route, run from a second process (load-worker.ts). */
import { runWorker } from '../shared/fork-worker.js';

export interface LoadJob {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly connections: number;
  readonly warmupS: number;
  readonly durationS: number;
}

export interface LoadResult {
  readonly requestsPerSec: number;
  /** autocannon records whole milliseconds, so a sub-millisecond median would read 0: the mean keeps the fraction. */
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly failures: number;
}

const WORKER = new URL('./load-worker.ts', import.meta.url);

export function runLoad(job: LoadJob): Promise<LoadResult> {
  return runWorker<LoadResult>(WORKER, job, { what: `load on ${job.method} ${job.url}`, exitTimeoutMs: (job.warmupS + job.durationS) * 1000 + 60_000 });
}
