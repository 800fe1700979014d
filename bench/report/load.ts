/**
 * The two measurements every variant (raw floor, pipeline) gets, driven the same way: reports one
 * after another for latency, then a burst for throughput. A variant is only a function that runs
 * one report to the end.
 */
import { nowMs } from '../shared/clock.js';
import { median, percentile } from '../shared/stats.js';

/** Runs the report `requestId` and resolves once it is ready (throws if it failed). */
export type RunReport = (requestId: string) => Promise<void>;

export interface Singles {
  readonly p50Ms: number;
  readonly p90Ms: number;
}

export interface Burst {
  readonly reports: number;
  readonly ms: number;
  readonly perSec: number;
}

/** `count` reports one at a time after `warmup` unmeasured ones (JIT, connection pools, consumers). */
export async function measureSingles(run: RunReport, prefix: string, warmup: number, count: number): Promise<Singles> {
  for (let i = 0; i < warmup; i++) await run(`${prefix}-warmup-${i}`);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = nowMs();
    await run(`${prefix}-single-${i}`);
    latencies.push(nowMs() - started);
  }
  return { p50Ms: median(latencies), p90Ms: percentile(latencies, 90) };
}

/** `count` reports with at most `inFlight` running at once: first start to last finish. */
export async function measureBurst(run: RunReport, prefix: string, count: number, inFlight: number): Promise<Burst> {
  let next = 0;
  const started = nowMs();
  const lane = async () => {
    while (next < count) await run(`${prefix}-burst-${next++}`);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
  const ms = nowMs() - started;
  return { reports: count, ms, perSec: (count * 1000) / ms };
}
