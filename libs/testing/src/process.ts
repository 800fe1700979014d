/**
 * Runs a service as its own OS process, as production does, so tests can SIGKILL it mid-work,
 * restart it, and read what it logged.
 *
 * A node child gets an IPC channel, which closes when this process is gone: a service (runService)
 * then stops by itself, so a killed test worker, demo or benchmark leaves no service running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './wait-for.js';

export class ProcessExitedError extends Error {
  override readonly name = 'ProcessExitedError';
  readonly code = 'PROCESS_EXITED';
}

export interface ProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Shown in failure messages. */
  readonly name?: string;
}

export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until the output contains `text` (or matches it). */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startProcess(opts: ProcessOptions): RunningProcess {
  const name = opts.name ?? opts.command;
  const child: ChildProcess = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env } as NodeJS.ProcessEnv,
    stdio: opts.command === process.execPath ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  return {
    name,
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    async waitForOutput(text, timeoutMs = 30_000) {
      let gone = false;
      void exited.then(() => (gone = true));
      const found = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
      // Stops polling as soon as the process is gone: its last output is the useful part of the failure.
      await waitFor(() => found() || gone, { timeoutMs, what: `${name} to print ${String(text)}` });
      if (!found()) throw new ProcessExitedError(`${name} exited before printing ${String(text)}:\n${output.slice(-3000)}`);
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}
