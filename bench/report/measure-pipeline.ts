/** One pipeline configuration measured: reports one at a time, where their time went, then a burst with the processes watched. */
import { median } from '../shared/stats.js';
import { measureBurst, measureSingles, type Burst, type Singles } from './load.js';
import { startPipeline } from './pipeline.js';
import { watchProcesses } from './proc-usage.js';
import { STAGES, type Stage } from './status-tap.js';

export interface Plan {
  readonly latencyMs: number;
  readonly warmup: number;
  readonly singles: number;
  readonly burst: number;
}

export const PROCESSES = ['aggregator', 'fetcher', 'importer', 'nats-server'] as const;
export type ProcessName = (typeof PROCESSES)[number];

export interface PipelineResult {
  readonly fetchers: number;
  readonly singles: Singles;
  /** Median over the single reports. */
  readonly stages: Record<Stage, number>;
  readonly burst: Burst;
  /** Peak resident memory during the burst, MB; for the fetchers, the largest replica's. */
  readonly rssMb: Record<Exclude<ProcessName, 'nats-server'>, number>;
  /** CPU time per report in the burst; for the fetchers, all replicas together. */
  readonly cpuMsPerReport: Record<ProcessName, number>;
}

export async function measurePipeline(apiUrl: string, refDate: string, fetchers: number, plan: Plan): Promise<PipelineResult> {
  const pipeline = await startPipeline(apiUrl, fetchers, refDate);
  try {
    const prefix = `f${fetchers}-l${plan.latencyMs}`;
    const singles = await measureSingles(pipeline.run, prefix, plan.warmup, plan.singles);
    const perReport = Array.from({ length: plan.singles }, (_, i) => pipeline.tap.stages(`${prefix}-single-${i}`));
    const stages = Object.fromEntries(STAGES.map((stage) => [stage, median(perReport.map((s) => s[stage]))])) as Record<Stage, number>;

    const processes = [...pipeline.services, { name: 'nats-server', pid: pipeline.natsPid }];
    const watch = await watchProcesses(processes.map((p) => p.pid));
    // Every request published at once, as a scheduler firing many reports would. The watch stops either way: its timer would keep the run alive.
    const burst = await measureBurst(pipeline.run, prefix, plan.burst, plan.burst).catch(async (err: unknown) => {
      await watch.stop().catch(() => undefined);
      throw err;
    });
    const usage = await watch.stop();
    const of = (name: ProcessName) => usage.filter((_, i) => processes[i]?.name === name);
    const peakMb = (name: ProcessName) => Math.max(...of(name).map((u) => u.peakRssMb));
    const cpuMs = (name: ProcessName) => of(name).reduce((sum, u) => sum + u.cpuMs, 0) / plan.burst;
    return {
      fetchers,
      singles,
      stages,
      burst,
      rssMb: { aggregator: peakMb('aggregator'), fetcher: peakMb('fetcher'), importer: peakMb('importer') },
      cpuMsPerReport: Object.fromEntries(PROCESSES.map((name) => [name, cpuMs(name)])) as Record<ProcessName, number>,
    };
  } catch (err) {
    throw new Error(`pipeline with ${fetchers} fetcher(s) at ${plan.latencyMs} ms failed: ${(err as Error).message}\n${pipeline.logs()}`, { cause: err });
  } finally {
    await pipeline.stop();
  }
}
