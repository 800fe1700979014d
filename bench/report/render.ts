/** The report benchmark's tables: figures, goals met or missed, where a report's time goes, and the reference. */
import type { FloorResult } from './floor-process.js';
import { PROCESSES, type Measured, type PipelineResult } from './measure-pipeline.js';
import { STAGES } from './status-tap.js';

export interface CaseResult {
  readonly latencyMs: number;
  /** Medians of the runs. */
  readonly floor: FloorResult;
  /** The bare pipeline (bare-pipeline.ts): the topology's own price, a reference the goals are not judged on. */
  readonly bare: Measured;
  readonly pipelines: readonly PipelineResult[];
  /** Every run, for the spread; `pipelines` in the order of the medians. */
  readonly runs: { readonly floor: readonly FloorResult[]; readonly bare: readonly Measured[]; readonly pipelines: readonly (readonly PipelineResult[])[] };
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
const fetcherCount = (n: number) => `${n} fetcher${n === 1 ? '' : 's'}`;
const fetchersLabel = (n: number) => `pipeline, ${fetcherCount(n)}`;
const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

/** A case's measured pipelines in table order, the bare reference first: `label` names a row, `column` a goals column. */
function variants(c: CaseResult): { label: string; column: string; m: Measured; runs: readonly Measured[] }[] {
  return [
    { label: 'bare JetStream pipeline, 1 fetcher (reference)', column: 'bare (reference)', m: c.bare, runs: c.runs.bare },
    ...c.pipelines.map((p, i) => ({ label: fetchersLabel(p.fetchers), column: fetcherCount(p.fetchers), m: p, runs: c.runs.pipelines[i] ?? [] })),
  ];
}

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
    for (const { label, m, runs } of variants(c)) {
      lines.push(
        row([
          `${c.latencyMs} ms`,
          label,
          spread(m.singles.p50Ms, runs.map((r) => r.singles.p50Ms), ms),
          ms(m.singles.p90Ms),
          String(m.burst.reports),
          spread(m.burst.perSec, runs.map((r) => r.burst.perSec), perSec),
          `${mb(m.rssMb.aggregator)} / ${mb(m.rssMb.fetcher)} / ${mb(m.rssMb.importer)}`,
        ]),
      );
    }
  }
  return lines.join('\n');
}

function goals(cases: readonly CaseResult[]): string {
  const columns = cases.flatMap((c) => variants(c).map(({ column, m }) => ({ c, m, label: `${c.latencyMs} ms, ${column}` })));
  const mark = (met: boolean, text: string) => `${met ? 'met' : '**missed**'}: ${text}`;
  const single = columns.map(({ c, m }) => {
    const limit = c.floor.singles.p50Ms + SINGLE_SLACK_MS;
    return mark(m.singles.p50Ms <= limit, `${ms(m.singles.p50Ms)} vs ≤ ${ms(limit)} ms`);
  });
  const burst = columns.map(({ c, m }) => {
    const share = m.burst.perSec / c.floor.burst.perSec;
    return mark(share >= BURST_SHARE, `${(share * 100).toFixed(0)} % of the floor`);
  });
  const rss = columns.map(({ m }) => {
    const [name, peak] = Object.entries(m.rssMb).reduce((a, b) => (b[1] > a[1] ? b : a));
    return mark(peak < RSS_LIMIT_MB, `largest ${mb(peak)} MB (${name})`);
  });
  return [
    row(['goal', ...columns.map(({ label }) => label)]),
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
    for (const { label, m } of variants(c)) {
      const values = PROCESSES.map((name) => m.cpuMsPerReport[name]);
      lines.push(row([`${c.latencyMs} ms`, label, ...values.map(ms), ms(values.reduce((a, b) => a + b, 0))]));
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
    row(['GitHub latency', `reports/s at ${BURST_SHARE * 100} % of the floor`, `CPU ms per report ${cores} cores allow at that rate`, 'pipeline spent (1 fetcher / 3 fetchers)', 'bare pipeline spent']),
    '|---|--:|--:|--:|--:|',
  ];
  const spent = (m: Measured) => ms(PROCESSES.reduce((sum, name) => sum + m.cpuMsPerReport[name], 0));
  for (const c of cases) {
    const rate = c.floor.burst.perSec * BURST_SHARE;
    lines.push(row([`${c.latencyMs} ms`, perSec(rate), ms((cores * 1000) / rate), c.pipelines.map(spent).join(' / '), spent(c.bare)]));
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
    "**Goals.** The goals are the services'; the bare pipeline's columns apply the same tests to the reference, to show what the processes and hops alone reach on this machine before any of the services' features.",
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
