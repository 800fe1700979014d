/**
 * Whether a process still runs, by pid, for tests that check nothing outlived its parent. A zombie
 * has ended: it only waits to be reaped, and the PID 1 of a test container may never reap it.
 * Linux only (/proc).
 */
import { readFile } from 'node:fs/promises';

export async function pidRunning(pid: number): Promise<boolean> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // `pid (comm) state ...`; comm may hold spaces and parentheses, so the state follows the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}
