/** The report benchmark's tables: figures, goals met or missed, where a report's time goes, and the reference. */
import type { FloorResult } from './floor-process.js';
import { PROCESSES, type PipelineResult } from './measure-pipeline.js';
import { STAGES } from './status-tap.js';

export interface CaseResult {
  readonly latencyMs: number;
  /** Medians of the runs. */
  readonly floor: FloorResult;
  readonly pipelines: readonly PipelineResult[];
  /** Every run, for the spread; `pipelines` in the order of the medians. */
  readonly runs: { readonly floor: readonly FloorResult[]; readonly pipelines: readonly (readonly PipelineResult[])[] };
}

/** The goals: a report within the floor's time plus this much, ... */
export const SINGLE_SLACK_MS = 15;
/** ... bursts at this share of the floor's throughput, ... */
export const BURST_SHARE = 0.8;
/** ... and every service process below this much resident memory. */
export const RSS_LIMIT_MB = 80;

const ms = (value: number) => value.toFixed(1);
const perSec = (value: number) => value.toFixed(1);
const mb = (value: number) => value.toFixed(0);
const fetchersLabel = (n: number) => `pipeline, ${n} fetcher${n === 1 ? '' : 's'}`;
const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

/** `value (lowest–highest run)`. */
function spread(value: number, runs: readonly number[], format: (n: number) => string): string {
  return `${format(value)} (${format(Math.min(...runs))}–${format(Math.max(...runs))})`;
}

function figures(cases: readonly CaseResult[]): string {
  const lines = [
    row(['GitHub latency', 'variant', 'one report p50 ms (runs)', 'p90 ms', 'burst', 'burst reports/s (runs)', 'peak RSS MB in burst: aggregator / fetcher / importer']),
    '|---|---|--:|--:|--:|--:|--:|',
  ];
  for (const c of cases) {
    const { singles, burst } = c.floor;
    const floorRuns = c.runs.floor;
    lines.push(
      row([
        `${c.latencyMs} ms`,
        'raw floor (one process, 10 in flight)',
        spread(singles.p50Ms, floorRuns.map((r) => r.singles.p50Ms), ms),
        ms(singles.p90Ms),
        String(burst.reports),
        spread(burst.perSec, floorRuns.map((r) => r.burst.perSec), perSec),
        `${mb(c.floor.peakRssMb)} (its one process)`,
      ]),
    );
    for (const [i, p] of c.pipelines.entries()) {
      const pipelineRuns = c.runs.pipelines[i] ?? [];
      const rss = `${mb(p.rssMb.aggregator)} / ${mb(p.rssMb.fetcher)} / ${mb(p.rssMb.importer)}`;
      lines.push(
        row([
          `${c.latencyMs} ms`,
          fetchersLabel(p.fetchers),
          spread(p.singles.p50Ms, pipelineRuns.map((r) => r.singles.p50Ms), ms),
          ms(p.singles.p90Ms),
          String(p.burst.reports),
          spread(p.burst.perSec, pipelineRuns.map((r) => r.burst.perSec), perSec),
          rss,
        ]),
      );
    }
  }
  return lines.join('\n');
}

function goals(cases: readonly CaseResult[]): string {
  const columns = cases.flatMap((c) => c.pipelines.map((p) => ({ c, p })));
  const mark = (met: boolean, text: string) => `${met ? 'met' : '**missed**'}: ${text}`;
  const single = columns.map(({ c, p }) => {
    const limit = c.floor.singles.p50Ms + SINGLE_SLACK_MS;
    return mark(p.singles.p50Ms <= limit, `${ms(p.singles.p50Ms)} vs ≤ ${ms(limit)} ms`);
  });
  const burst = columns.map(({ c, p }) => {
    const share = p.burst.perSec / c.floor.burst.perSec;
    return mark(share >= BURST_SHARE, `${(share * 100).toFixed(0)} % of the floor`);
  });
  const rss = columns.map(({ p }) => {
    const [name, peak] = Object.entries(p.rssMb).reduce((a, b) => (b[1] > a[1] ? b : a));
    return mark(peak < RSS_LIMIT_MB, `largest ${mb(peak)} MB (${name})`);
  });
  return [
    row(['goal', ...columns.map(({ c, p }) => `${c.latencyMs} ms, ${p.fetchers} fetcher${p.fetchers === 1 ? '' : 's'}`)]),
    row(['---', ...columns.map(() => '---')]),
    row([`one report (p50) within the floor's + ${SINGLE_SLACK_MS} ms`, ...single]),
    row([`burst ≥ ${BURST_SHARE * 100} % of the floor's reports/s`, ...burst]),
    row([`every service < ${RSS_LIMIT_MB} MB RSS in the burst`, ...rss]),
  ].join('\n');
}

function stages(cases: readonly CaseResult[]): string {
  const lines = [row(['GitHub latency', 'variant', ...STAGES, 'sum']), row(['---', '---', ...STAGES.map(() => '--:'), '--:'])];
  for (const c of cases) {
    for (const p of c.pipelines) {
      const values = STAGES.map((s) => p.stages[s]);
      lines.push(row([`${c.latencyMs} ms`, fetchersLabel(p.fetchers), ...values.map(ms), ms(values.reduce((a, b) => a + b, 0))]));
    }
  }
  return lines.join('\n');
}

function cpu(cases: readonly CaseResult[]): string {
  const lines = [row(['GitHub latency', 'variant', ...PROCESSES, 'total']), row(['---', '---', ...PROCESSES.map(() => '--:'), '--:'])];
  for (const c of cases) {
    lines.push(row([`${c.latencyMs} ms`, 'raw floor', ...PROCESSES.map(() => '—'), ms(c.floor.cpuMsPerReport)]));
    for (const p of c.pipelines) {
      const values = PROCESSES.map((name) => p.cpuMsPerReport[name]);
      lines.push(row([`${c.latencyMs} ms`, fetchersLabel(p.fetchers), ...values.map(ms), ms(values.reduce((a, b) => a + b, 0))]));
    }
  }
  return lines.join('\n');
}

/**
 * Whether a burst goal is within reach at all: at the goal's rate, the machine's cores have this much
 * CPU time per report for every process together; the pipeline's own share is what it measured.
 */
function budget(cases: readonly CaseResult[], cores: number): string {
  const lines = [
    row(['GitHub latency', `reports/s at ${BURST_SHARE * 100} % of the floor`, `CPU ms per report ${cores} cores allow at that rate`, 'pipeline spent (1 fetcher / 3 fetchers)']),
    '|---|--:|--:|--:|',
  ];
  for (const c of cases) {
    const rate = c.floor.burst.perSec * BURST_SHARE;
    const spent = c.pipelines.map((p) => ms(PROCESSES.reduce((sum, name) => sum + p.cpuMsPerReport[name], 0))).join(' / ');
    lines.push(row([`${c.latencyMs} ms`, perSec(rate), ms((cores * 1000) / rate), spent]));
  }
  return lines.join('\n');
}

const REFERENCE = [
  row(['measured elsewhere', '0 ms: ms per report', '0 ms: reports/s', '300 ms: ms per report', '300 ms: reports/s']),
  '|---|--:|--:|--:|--:|',
  row(['raw floor', '17', '70', '322', '22']),
  row(['BullMQ 6 flows', '90', '20', '416', '5.6']),
  row(['Celery 5.2 (Redis, prefork 2)', '171', '9', '1090', '1.2']),
].join('\n');

/** `cores`: the machine's, as its description names them. */
export function renderReportTables(cases: readonly CaseResult[], cores: number): string {
  return [
    figures(cases),
    '**Goals.**',
    goals(cases),
    "**Where one report's time goes** (ms, medians of the one-at-a-time reports). Each stage ends when the service wrote the next state into the status (`updatedAt`); a state a report skipped (`fetching` when all pages land at once, `importing` when the importer finished first) counts 0 ms and its work falls into the stage before. The stages sum to about the p50:",
    stages(cases),
    '**CPU time per report in the burst** (ms; all fetcher replicas together; the GitHub fixture, in the benchmark\'s process, not counted for either):',
    cpu(cases),
    "**The burst goal's CPU budget**: a burst is over when the last report's work is done, so at the goal's rate every process together (services, nats-server and the GitHub fixture, which is not counted above) can spend at most this much CPU per report. Where the pipeline alone spends more, the goal is out of reach on this machine however the work is scheduled:",
    budget(cases, cores),
    '**For scale**, from another machine of the same kind with the same ~5 KB items:',
    REFERENCE,
  ].join('\n\n');
}
