/** Order statistics for benchmark samples. */

/** Nearest-rank percentile (`p` in 0..100) of `values`, which need not be sorted. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Middle of a handful of repeated runs; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Several runs of one measurement as one: every number replaced by its median over the runs (the
 * runs share one shape), anything else taken from the first run.
 */
export function medianOfRuns<T>(runs: readonly T[]): T {
  const [first] = runs;
  if (first === undefined) throw new RangeError('median of no runs');
  if (typeof first === 'number') return median(runs as readonly number[]) as T;
  if (Array.isArray(first)) return first.map((_, i) => medianOfRuns(runs.map((run) => (run as readonly unknown[])[i]))) as T;
  if (typeof first === 'object' && first !== null) {
    return Object.fromEntries(Object.keys(first).map((key) => [key, medianOfRuns(runs.map((run) => (run as Record<string, unknown>)[key]))])) as T;
  }
  return first;
}
