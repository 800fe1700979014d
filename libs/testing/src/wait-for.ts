import { setTimeout as sleep } from 'node:timers/promises';

export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  readonly code = 'WAIT_TIMEOUT';
}

/**
 * Polls `probe` until it returns something other than undefined/false, for tests that wait on
 * another process. The timeout is generous on purpose: tests must pass on a busy 2-core machine.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 25, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    await sleep(intervalMs);
  }
}
