/**
 * Runs the raw floor in a process of its own (floor-worker.ts). The benchmark's own process serves
 * the GitHub fixture and, for the pipeline, watches statuses; the floor must compete with neither,
 * just as the services run apart from them.
 */
import { runWorker } from '../shared/fork-worker.js';
import type { Burst, Singles } from './load.js';

export interface FloorJob {
  readonly apiUrl: string;
  readonly since: string;
  readonly mediaRoot: string;
  /** Names the requests, so two floor runs never share a file. */
  readonly prefix: string;
  readonly warmup: number;
  readonly singles: number;
  readonly burst: number;
  readonly inFlight: number;
}

export interface FloorResult {
  readonly singles: Singles;
  readonly burst: Burst;
  /** The floor's process in the burst: its peak resident memory and its CPU time per report. */
  readonly peakRssMb: number;
  readonly cpuMsPerReport: number;
}

const WORKER = new URL('./floor-worker.ts', import.meta.url);
/** A worker that has not exited by then has left a handle open or hangs: a bug, not a slow run. */
const EXIT_TIMEOUT_MS = 120_000;

export function runFloor(job: FloorJob): Promise<FloorResult> {
  return runWorker<FloorResult>(WORKER, job, { what: 'floor worker', exitTimeoutMs: EXIT_TIMEOUT_MS });
}
