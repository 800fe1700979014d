/** Turns the bus runs into the markdown that goes to stdout and docs/benchmarks.md. */
import { median } from '../shared/stats.js';
import type { Sample } from './load.js';

/** The goals the typed layer is held to, relative to raw JetStream. */
export const GOALS = { minThroughputRatio: 0.8, maxAddedP50Ms: 1 } as const;

export interface CaseResult {
  readonly payload: string;
  readonly raw: readonly Sample[];
  readonly typed: readonly Sample[];
}

interface Summary {
  readonly msgsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly spread: string;
}

/** Each figure is the median over the runs on its own, which is steadier than picking one run. */
function summarize(samples: readonly Sample[]): Summary {
  const rates = samples.map((s) => s.msgsPerSec);
  return {
    msgsPerSec: median(rates),
    p50Ms: median(samples.map((s) => s.p50Ms)),
    p99Ms: median(samples.map((s) => s.p99Ms)),
    spread: `${rate(Math.min(...rates))}–${rate(Math.max(...rates))}`,
  };
}

const rate = (msgsPerSec: number) => Math.round(msgsPerSec).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(2);
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

export function renderBusTables(cases: readonly CaseResult[]): string {
  const figures = ['| payload | variant | msgs/s | msgs/s, all runs | p50 ms | p99 ms |', '|---|---|--:|--:|--:|--:|'];
  const goals = [
    `| payload | typed/raw msgs/s | p50 added | ≥ ${GOALS.minThroughputRatio * 100} % of raw throughput | ≤ ${GOALS.maxAddedP50Ms} ms added p50 |`,
    '|---|--:|--:|---|---|',
  ];
  for (const c of cases) {
    const raw = summarize(c.raw);
    const typed = summarize(c.typed);
    for (const [variant, s] of [['raw', raw], ['typed', typed]] as const) {
      figures.push(`| ${c.payload} | ${variant} | ${rate(s.msgsPerSec)} | ${s.spread} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} |`);
    }
    const ratio = typed.msgsPerSec / raw.msgsPerSec;
    const addedP50 = typed.p50Ms - raw.p50Ms;
    goals.push(
      `| ${c.payload} | ${(ratio * 100).toFixed(0)} % | ${addedP50 >= 0 ? '+' : ''}${ms(addedP50)} ms | ${verdict(ratio >= GOALS.minThroughputRatio)} | ${verdict(addedP50 <= GOALS.maxAddedP50Ms)} |`,
    );
  }
  return `${figures.join('\n')}\n\n${goals.join('\n')}\n`;
}
