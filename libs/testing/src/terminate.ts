import type { ChildProcess } from 'node:child_process';

/** Sends `signal` to a server the harness started and waits for its exit; SIGKILL after 5 s. */
export async function terminate(child: ChildProcess, exited: Promise<number | null>, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killTimer);
}
