/**
 * Runs the raw floor in a process of its own (floor-worker.ts). The benchmark's own process serves
 * the GitHub fixture and, for the pipeline, watches statuses; the floor must compete with neither,
 * just as the services run apart from them.
 */
import { fork } from 'node:child_process';
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
  // The same flags as this process, so the worker also runs TypeScript.
  const child = fork(WORKER, [JSON.stringify(job)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<FloorResult>((resolve, reject) => {
    let result: FloorResult | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS).unref();
    child.on('message', (message) => {
      result = message as FloorResult;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (result && code === 0) resolve(result);
      else reject(new Error(`floor worker ${signal ? `was killed (${signal})` : `exited with ${code}`}${result ? ' after reporting' : ''}`));
    });
  });
}
