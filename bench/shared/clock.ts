/**
 * Wall-clock milliseconds with sub-millisecond resolution: what a sender stamps into a message
 * and a receiver subtracts from, valid across processes on the same host.
 */
export const nowMs = (): number => performance.timeOrigin + performance.now();
