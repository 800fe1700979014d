/**
 * A command line for a child that is no node process (nats-server) and must end with the process
 * that spawns it, however that one ends, SIGKILL included. Node children need none of this: they
 * get an IPC channel, and its closing tells them (libs/runtime's whenParentGone).
 *
 * Linux's PR_SET_PDEATHSIG, set by util-linux's `setpriv --pdeathsig`, sends the child SIGTERM
 * when the thread that spawned it ends. setpriv execs the command, so the pid is the command's
 * own (nats-server names its ports file after it).
 */
import { existsSync } from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';

export interface CommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

export function withParentDeathSignal({ command, args }: CommandLine): CommandLine {
  // No setpriv (macOS, a slim image): the child is spawned as it is, and outlives a killed parent.
  if (!existsSync(SETPRIV)) return { command, args };
  return { command: SETPRIV, args: ['--pdeathsig', 'SIGTERM', '--', command, ...args] };
}
