/** Turns the bus runs into the markdown that goes to stdout and docs/benchmarks.md. */
import { median } from '../shared/stats.js';
import type { Sample } from './load.js';

/** The goals the typed layer is held to, relative to raw JetStream. */
const GOALS = { minThroughputRatio: 0.8, maxAddedP50Ms: 1 } as const;

export interface CaseResult {
  readonly payload: string;
  readonly raw: readonly Sample[];
  readonly typed: readonly Sample[];
}

type Summary = Sample & { readonly spread: string };

/** Each figure is the median over the runs on its own, which is steadier than picking one run. */
function summarize(samples: readonly Sample[]): Summary {
  const of = (pick: (s: Sample) => number) => median(samples.map(pick));
  const rates = samples.map((s) => s.msgsPerSec);
  return {
    msgsPerSec: of((s) => s.msgsPerSec),
    p50Ms: of((s) => s.p50Ms),
    p99Ms: of((s) => s.p99Ms),
    singleP50Ms: of((s) => s.singleP50Ms),
    singleP99Ms: of((s) => s.singleP99Ms),
    spread: `${rate(Math.min(...rates))}–${rate(Math.max(...rates))}`,
  };
}

const rate = (msgsPerSec: number) => Math.round(msgsPerSec).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(2);
const delta = (value: number) => `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

export function renderBusTables(cases: readonly CaseResult[], window: number): string {
  const figures = [
    `| payload | variant | msgs/s | msgs/s, each run | p50 ms, ${window} in flight | p99 ms, ${window} in flight | p50 ms, one at a time | p99 ms, one at a time |`,
    '|---|---|--:|--:|--:|--:|--:|--:|',
  ];
  const goals = [
    `| payload | typed/raw msgs/s | p50 added, one at a time | p50 added, ${window} in flight | ≥ ${GOALS.minThroughputRatio * 100} % of raw msgs/s | ≤ ${GOALS.maxAddedP50Ms} ms added p50 |`,
    '|---|--:|--:|--:|---|---|',
  ];
  for (const c of cases) {
    const raw = summarize(c.raw);
    const typed = summarize(c.typed);
    for (const [variant, s] of [['raw', raw], ['typed', typed]] as const) {
      figures.push(`| ${c.payload} | ${variant} | ${rate(s.msgsPerSec)} | ${s.spread} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ms(s.singleP50Ms)} | ${ms(s.singleP99Ms)} |`);
    }
    const ratio = typed.msgsPerSec / raw.msgsPerSec;
    const addedSingle = typed.singleP50Ms - raw.singleP50Ms;
    goals.push(
      `| ${c.payload} | ${(ratio * 100).toFixed(0)} % | ${delta(addedSingle)} ms | ${delta(typed.p50Ms - raw.p50Ms)} ms | ${verdict(ratio >= GOALS.minThroughputRatio)} | ${verdict(addedSingle <= GOALS.maxAddedP50Ms)} |`,
    );
  }
  return `${figures.join('\n')}\n\n${goals.join('\n')}\n`;
}
