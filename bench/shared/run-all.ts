/** Tear-down that leaves nothing running: every step is run in order, even after one failed. */
export async function runAll(steps: readonly (() => unknown)[], what: string): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) await Promise.resolve().then(step).catch((err: unknown) => failures.push(err));
  if (failures.length) throw new AggregateError(failures, what);
}
