/**
 * Runs each variant in a process of its own (bus/worker.ts), so one variant's process-wide costs
 * stay off the other: the typed bus enables AsyncLocalStorage, whose promise hooks then tax every
 * promise in the process, raw ones included (about 8 % of raw throughput when they shared one).
 */
import { fork } from 'node:child_process';
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
  // The same flags as this process, so the worker also loads TypeScript and the libs' sources.
  const child = fork(WORKER, [JSON.stringify(job)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<Sample>((resolve, reject) => {
    let sample: Sample | undefined;
    // Unref'd: the child itself keeps this process waiting, and a failed spawn must not be held up by the timer.
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS).unref();
    child.on('message', (message) => {
      sample = message as Sample;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (sample && code === 0) resolve(sample);
      else reject(new Error(`${job.variant} worker ${signal ? `was killed (${signal})` : `exited with ${code}`}${sample ? ' after reporting' : ''}`));
    });
  });
}
