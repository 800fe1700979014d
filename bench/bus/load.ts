/**
 * Drives one variant: a warm-up, then `count` messages published with at most `window` publishes
 * awaiting their broker ack, each stamped with its send time. The variant reports every message
 * at handler entry; latency is that moment minus the stamp, throughput is `count` over the time
 * from the first measured publish to the last measured message handled.
 */
import { waitFor } from '@hotrepos/testing';
import { nowMs } from '../shared/clock.js';
import { percentile } from '../shared/stats.js';
import type { BenchMessage } from './contract.js';

export interface Endpoint {
  /** Resolves once the broker has stored the message. */
  send(message: BenchMessage): Promise<void>;
  /** Stops consuming and closes the variant's connections. */
  close(): Promise<void>;
}

/** Connects a variant to `url` and starts its consumer, which calls `received` at handler entry. */
export type Variant = (url: string, received: (message: BenchMessage) => void) => Promise<Endpoint>;

export interface LoadPlan {
  readonly warmup: number;
  readonly count: number;
  readonly window: number;
  readonly blob: string;
  /** Longest a phase may take before the run fails, rather than hanging on a lost message. */
  readonly timeoutMs: number;
}

export interface Sample {
  readonly msgsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export async function runLoad(variant: Variant, url: string, plan: LoadPlan): Promise<Sample> {
  const total = plan.warmup + plan.count;
  const latencies = new Float64Array(plan.count);
  let handled = 0;
  let lastHandledAt = 0;

  const endpoint = await variant(url, (message) => {
    const at = nowMs();
    if (message.seq >= plan.warmup) latencies[message.seq - plan.warmup] = at - message.sentAt;
    handled++;
    lastHandledAt = at;
  });
  try {
    await publishRange(endpoint, 0, plan.warmup, plan);
    await waitFor(() => handled >= plan.warmup, { timeoutMs: plan.timeoutMs, intervalMs: 10, what: `${plan.warmup} warm-up messages handled` });
    const startedAt = nowMs();
    await publishRange(endpoint, plan.warmup, total, plan);
    await waitFor(() => handled >= total, { timeoutMs: plan.timeoutMs, intervalMs: 10, what: `${plan.count} messages handled` });
    return {
      msgsPerSec: plan.count / ((lastHandledAt - startedAt) / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await endpoint.close();
  }
}

async function publishRange(endpoint: Endpoint, from: number, to: number, { window, blob }: LoadPlan): Promise<void> {
  let next = from;
  // Each lane has one publish awaiting its ack at a time, so `window` lanes bound what is in flight.
  const lane = async () => {
    while (next < to) await endpoint.send({ seq: next++, sentAt: nowMs(), blob });
  };
  await Promise.all(Array.from({ length: window }, lane));
}
