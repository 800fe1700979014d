/**
 * A process started by a local launcher (`npm start`, `npm run demo`, libs/testing's
 * startProcess) holds an IPC channel to it, and the kernel closes that channel when the launcher
 * is gone, however it ended: SIGKILL, an OOM kill, a supervisor killing its process group. That is
 * how the children of a launcher that had no chance to stop them learn to stop themselves. A
 * process with no channel (a container, a shell's child) is stopped by signals alone.
 */
import type { Logger } from '@hotrepos/logging';

/** Resolves once the process that started this one is gone; never when it gave this one no IPC channel. */
export function whenParentGone(): Promise<void> {
  const { channel } = process;
  if (!channel) return new Promise<void>(() => undefined);
  return new Promise<void>((resolve) => {
    if (!process.connected) return resolve();
    process.once('disconnect', () => resolve());
    // A 'disconnect' listener holds the process open; whether it ends is the process's own business.
    channel.unref();
  });
}

/**
 * Exits 1 if the process is still running `ms` from now. For a stop that follows the parent's end:
 * the broker may have gone with the parent, and a drain against a vanished broker waits forever.
 */
export function exitUnlessStoppedWithin(ms: number, logger: Logger): void {
  setTimeout(() => {
    logger.error({ deadlineMs: ms }, 'not stopped in time after the parent process went: exiting');
    process.exit(1);
  }, ms).unref();
}
