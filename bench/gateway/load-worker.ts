/**
 * The load generator, in its own process so its event loop never competes with the server it
 * measures for the same thread: autocannon over loopback, a warm-up first, then the measured run.
 */
import autocannon from 'autocannon';
import type { LoadJob, LoadResult } from './load.js';

const job = JSON.parse(process.argv[2] ?? '') as LoadJob;

function fire(durationS: number): Promise<autocannon.Result> {
  return autocannon({
    url: job.url,
    method: job.method,
    connections: job.connections,
    duration: durationS,
    headers: job.headers,
    ...(job.body === undefined ? {} : { body: job.body }),
  });
}

await fire(job.warmupS);
const result = await fire(job.durationS);
const sample: LoadResult = {
  requestsPerSec: result.requests.total / (result.duration || job.durationS),
  meanMs: result.latency.average,
  p99Ms: result.latency.p99,
  requests: result.requests.total,
  // Every answer that is not the expected 2xx, and every socket error or timeout, spoils the run.
  failures: result.non2xx + result.errors + result.timeouts,
};
process.send?.(sample);
