/**
 * Runs each variant in a process of its own (bus/worker.ts), so one variant's process-wide costs
 * stay off the other: the typed bus enables AsyncLocalStorage, whose promise hooks then tax every
 * promise in the process, raw ones included (about 8 % of raw throughput when they shared one).
 */
import { runWorker } from '../shared/fork-worker.js';
import type { LoadPlan, Sample } from './load.js';

export const VARIANT_NAMES = ['raw', 'typed'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

export interface Job {
  readonly variant: VariantName;
  readonly url: string;
  readonly plan: LoadPlan;
}

const WORKER = new URL('./worker.ts', import.meta.url);

/** Fails the run if the worker does not exit on its own by then: a variant that leaves a handle open is a bug. */
const EXIT_TIMEOUT_MS = 180_000;

export function runIsolated(job: Job): Promise<Sample> {
  return runWorker<Sample>(WORKER, job, { what: `${job.variant} worker`, exitTimeoutMs: EXIT_TIMEOUT_MS });
}
