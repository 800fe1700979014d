/**
 * Runs a benchmark worker in a process of its own and takes the one result it sends over IPC.
 * Apart, so the load a worker makes or measures never shares an event loop with what it measures.
 */
import { fork } from 'node:child_process';

export interface ForkWorkerOptions {
  /** Shown in failures. */
  readonly what: string;
  /** A worker that has not exited by then has left a handle open or hangs: a bug, not a slow run. */
  readonly exitTimeoutMs: number;
}

export function runWorker<T>(worker: URL, job: unknown, { what, exitTimeoutMs }: ForkWorkerOptions): Promise<T> {
  // The same flags as this process, so the worker also runs TypeScript and the libs' sources.
  const child = fork(worker, [JSON.stringify(job)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<T>((resolve, reject) => {
    let result: { value: T } | undefined;
    // Unref'd: the child itself keeps this process waiting, and a failed spawn must not be held up by the timer.
    const timer = setTimeout(() => child.kill('SIGKILL'), exitTimeoutMs).unref();
    child.on('message', (message) => {
      result = { value: message as T };
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (result && code === 0) resolve(result.value);
      else reject(new Error(`${what} ${signal ? `was killed (${signal})` : `exited with ${code}`}${result ? ' after reporting' : ''}`));
    });
  });
}
