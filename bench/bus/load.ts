/**
 * Drives one variant through three phases on one consumer: a warm-up, a loaded phase of `count`
 * messages with `window` in flight, and a phase of `singles` messages sent one at a time.
 *
 * A message is in flight from its publish until its handler has started, not merely until the
 * broker acked it: with only publishes bounded, a publisher that outruns the consumer builds a
 * backlog that grows for the whole run, and latency then measures how long the run lasted
 * (identical raw runs gave p50 from 9 to 114 ms). Bounded end to end, the loaded phase gives
 * throughput and latency at a steady queue; the one-at-a-time phase gives what a single trip
 * costs with no queue at all, which is where a per-message overhead shows undiluted.
 */
import { nowMs } from '../shared/clock.js';
import { percentile } from '../shared/stats.js';
import { blobFor, type BenchMessage } from './contract.js';

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
  readonly singles: number;
  /** Size of each message's JSON body. */
  readonly payloadBytes: number;
  /** Longest a phase may take before the run fails, rather than hanging on a lost message. */
  readonly timeoutMs: number;
}

export interface Sample {
  readonly msgsPerSec: number;
  /** Latency in the loaded phase. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Latency one message at a time. */
  readonly singleP50Ms: number;
  readonly singleP99Ms: number;
}

export async function runLoad(variant: Variant, url: string, plan: LoadPlan): Promise<Sample> {
  const loadedFrom = plan.warmup;
  const singlesFrom = loadedFrom + plan.count;
  const total = singlesFrom + plan.singles;
  const latencies = new Float64Array(total);
  const waiting = new Map<number, () => void>();
  let lastHandledAt = 0;
  const blob = blobFor(plan.payloadBytes);

  const endpoint = await variant(url, (message) => {
    const at = nowMs();
    latencies[message.seq] = at - message.sentAt;
    lastHandledAt = at;
    waiting.get(message.seq)?.();
    waiting.delete(message.seq);
  });

  const sendRange = (from: number, to: number, window: number, phase: string) => {
    let next = from;
    // Each lane has one message in flight, so `window` lanes bound what is in flight.
    const lane = async () => {
      while (next < to) {
        const seq = next++;
        // Registered before sending: the handler may run before the publish ack arrives.
        const handled = new Promise<void>((resolve) => waiting.set(seq, resolve));
        await endpoint.send({ seq, sentAt: nowMs(), blob });
        await handled;
      }
    };
    return withTimeout(Promise.all(Array.from({ length: window }, lane)), plan.timeoutMs, phase);
  };

  try {
    await sendRange(0, loadedFrom, plan.window, 'warm-up');
    const startedAt = nowMs();
    await sendRange(loadedFrom, singlesFrom, plan.window, 'loaded phase');
    const msgsPerSec = plan.count / ((lastHandledAt - startedAt) / 1000);
    await sendRange(singlesFrom, total, 1, 'one-at-a-time phase');
    const loaded = latencies.subarray(loadedFrom, singlesFrom);
    const singles = latencies.subarray(singlesFrom, total);
    return {
      msgsPerSec,
      p50Ms: percentile(loaded, 50),
      p99Ms: percentile(loaded, 99),
      singleP50Ms: percentile(singles, 50),
      singleP99Ms: percentile(singles, 99),
    };
  } finally {
    await endpoint.close();
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
