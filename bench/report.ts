/**
 * `npm run bench -- report`: the report pipeline end to end against the GitHub fixture server, at
 * 0 ms and 300 ms of GitHub latency, with one and with three fetchers, next to a raw floor (the same
 * work in one process with no broker) measured in the same run.
 */
import { startGithubFixture } from '@hotrepos/github-fixture';
import { sinceDate } from '@hotrepos/reports';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFloor, type FloorResult } from './report/floor-process.js';
import { measureBarePipeline, measurePipeline, type Measured, type PipelineResult } from './report/measure-pipeline.js';
import { AGGREGATOR_CONCURRENCY, FETCH_SLOTS, IMPORTER_CONCURRENCY } from './report/pipeline.js';
import { BURST_SHARE, renderReportTables, RSS_LIMIT_MB, SINGLE_SLACK_MS, type CaseResult } from './report/render.js';
import { writeSection } from './shared/docs.js';
import { medianOfRuns } from './shared/stats.js';
import { describeMachine, machineLine } from './shared/machine.js';

/** Fixed, so every run reports on the same fixture data. */
const REF_DATE = '2026-11-27';
const CASES = [
  { latencyMs: 0, burst: 100 },
  { latencyMs: 300, burst: 20 },
] as const;
const FETCHER_COUNTS = [1, 3] as const;
// Enough for every fetcher replica to have run the parsing code hot before anything is timed.
const WARMUP = 5;
const SINGLES = 10;
const FLOOR_IN_FLIGHT = 10;
// Runs of everything, alternating; the tables give medians (and the spread of the figures the goals judge).
const ROUNDS = 3;

export async function run(): Promise<void> {
  const machine = await describeMachine();
  const since = sinceDate('week', REF_DATE);
  const github = await startGithubFixture({ rateLimit: false });
  const floorDir = await mkdtemp(join(tmpdir(), 'hotrepos-bench-floor-'));
  const runs = CASES.map(() => ({ floor: [] as FloorResult[], bare: [] as Measured[], pipelines: FETCHER_COUNTS.map((): PipelineResult[] => []) }));
  try {
    // Rounds outermost, so a slow spell of the shared machine falls on every variant alike, not on one.
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [c, { latencyMs, burst }] of CASES.entries()) {
        const plan = { latencyMs, warmup: WARMUP, singles: SINGLES, burst };
        github.setOptions({ latencyMs });
        const floor = await runFloor({ apiUrl: github.url, since, mediaRoot: floorDir, prefix: `r${round}-l${latencyMs}`, ...plan, inFlight: FLOOR_IN_FLIGHT });
        runs[c]?.floor.push(floor);
        // Progress goes to stderr so stdout is only the tables.
        console.error(`round ${round}/${ROUNDS}, ${latencyMs} ms, raw floor: p50 ${floor.singles.p50Ms.toFixed(1)} ms, ${floor.burst.perSec.toFixed(1)} reports/s`);
        const bare = await measureBarePipeline(github.url, since, plan);
        runs[c]?.bare.push(bare);
        console.error(`round ${round}/${ROUNDS}, ${latencyMs} ms, bare pipeline: p50 ${bare.singles.p50Ms.toFixed(1)} ms, ${bare.burst.perSec.toFixed(1)} reports/s`);
        for (const [f, fetchers] of FETCHER_COUNTS.entries()) {
          const result = await measurePipeline(github.url, REF_DATE, fetchers, plan);
          runs[c]?.pipelines[f]?.push(result);
          console.error(`round ${round}/${ROUNDS}, ${latencyMs} ms, ${fetchers} fetcher(s): p50 ${result.singles.p50Ms.toFixed(1)} ms, ${result.burst.perSec.toFixed(1)} reports/s`);
        }
      }
    }
  } finally {
    await github.stop();
    await rm(floorDir, { recursive: true, force: true });
  }
  const cases: CaseResult[] = CASES.map(({ latencyMs }, c) => {
    const { floor, bare, pipelines } = runs[c] ?? { floor: [], bare: [], pipelines: [] };
    return { latencyMs, floor: medianOfRuns(floor), bare: medianOfRuns(bare), pipelines: pipelines.map((p) => medianOfRuns(p)), runs: { floor, bare, pipelines } };
  });

  const tables = renderReportTables(cases, machine.cpus);
  console.log(tables);
  // The run itself loads both cores; a much higher figure at the end means other work shared the machine.
  const loadAtEnd = `and ${(loadavg()[0] ?? 0).toFixed(1)} at the end`;
  await writeSection('Report', `${describeSettings()}\n\nMeasured ${machineLine(machine)} ${loadAtEnd}.\n\n${tables}`, machine);
}

function describeSettings(): string {
  const bursts = CASES.map((c) => `${c.burst} at ${c.latencyMs} ms`).join(', ');
  const slots = FETCHER_COUNTS.map((n) => `${Math.ceil(FETCH_SLOTS / n)} each with ${n}`).join(', ');
  return [
    '`npm run bench -- report` runs weekly reports (5 pages × 100 items of ~5 KB from the GitHub fixture server,',
    '`rateLimit: false`) at 0 ms and 300 ms of GitHub latency.',
    '',
    '- Pipeline: a fresh nats-server per configuration; the aggregator, 1 or 3 fetchers and the importer each a process',
    '  running the bundle its image runs: built by the esbuild command of the `Dockerfile` (bench/report/bundle.ts)',
    "  and started as `node main.mjs` with the image's `ENV` (`NODE_ENV=production`); no tsx loader, no compiling at run time.",
    `  Settings: \`LOG_LEVEL=warn\`, \`FETCHER_CONCURRENCY\` ${FETCH_SLOTS} split over the replicas (${slots}: the floor's pages in flight),`,
    `  \`AGGREGATOR_CONCURRENCY\` ${AGGREGATOR_CONCURRENCY}, \`IMPORTER_CONCURRENCY\` ${IMPORTER_CONCURRENCY}, \`MEDIA_ROOT\` and \`LOG_DIR\` in a temp dir, the rest default.`,
    '  A report is timed from just before `requestReport` publishes until the client sees status `ready` (one watch over',
    '  the `report-status` bucket serves every report, rather than a consumer per report on the broker under test).',
    '- Raw floor: the same work in one process with no broker (bench/report/floor.ts): the 5 pages fetched at once with',
    "  undici and the fetcher's headers, read item by item with the fetcher's reader (`@hotrepos/json-items`), trimmed to `Repo`,",
    `  grouped by language as the aggregator does, written with csv-stringify (the importer's options) atomically to a temp dir;`,
    `  ${FLOOR_IN_FLIGHT} reports in flight in the burst.`,
    '- Bare JetStream pipeline (a reference, not judged by the goals; bench/report/bare-pipeline.ts): the same processes and hops',
    "  (request → aggregator → 5 fetch jobs → fetcher → 5 pages → aggregator → importer → ready) over raw `@nats-io/jetstream`,",
    "  with file storage, explicit acks and the services' concurrency (pulled with `consume()`, as a plain JetStream program would),",
    "  doing only the floor's work in between: no contract checks,",
    '  scope, logging, status or page keys, object store, retries or dead letters; the aggregator joins pages in memory (one replica).',
    "  What it misses of the floor is the price of the topology itself on this machine, before any of the services' features.",
    `- One report: median and p90 of ${SINGLES} reports one after another, after ${WARMUP} unmeasured; each has its own requestId.`,
    `- Everything runs ${ROUNDS} times, alternating (floor, bare pipeline, 1 fetcher, 3 fetchers at 0 ms, then at 300 ms, then again); every figure is the median of the runs, and the ones the goals judge also show the runs' range.`,
    `- Burst: ${bursts}, all published at once (the floor keeps ${FLOOR_IN_FLIGHT} in flight); reports/s is reports over first publish to last ready.`,
    '- Peak RSS: `VmRSS` sampled every 100 ms during the burst, of each service process (for the fetchers, the largest replica)',
    "  and of the floor's one process; CPU: `utime` + `stime` from `/proc/<pid>/stat` over the burst, per report.",
    `- Goals: one report within the floor's p50 + ${SINGLE_SLACK_MS} ms; burst ≥ ${BURST_SHARE * 100} % of the floor's reports/s; every service < ${RSS_LIMIT_MB} MB.`,
  ].join('\n');
}
