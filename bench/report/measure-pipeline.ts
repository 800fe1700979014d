/** One pipeline configuration measured: reports one at a time, where their time went, then a burst with the processes watched. */
import { median } from '../shared/stats.js';
import { startBarePipeline } from './bare-pipeline.js';
import { measureBurst, measureSingles, type Burst, type Singles } from './load.js';
import { startPipeline, type RunningPipeline } from './pipeline.js';
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

export interface Measured {
  readonly singles: Singles;
  readonly burst: Burst;
  /** Peak resident memory during the burst, MB; for the fetchers, the largest replica's. */
  readonly rssMb: Record<Exclude<ProcessName, 'nats-server'>, number>;
  /** CPU time per report in the burst; for the fetchers, all replicas together. */
  readonly cpuMsPerReport: Record<ProcessName, number>;
}

export interface PipelineResult extends Measured {
  readonly fetchers: number;
  /** Median over the single reports. */
  readonly stages: Record<Stage, number>;
}

export async function measurePipeline(apiUrl: string, refDate: string, fetchers: number, plan: Plan): Promise<PipelineResult> {
  const pipeline = await startPipeline(apiUrl, fetchers, refDate);
  const prefix = `f${fetchers}-l${plan.latencyMs}`;
  const measured = await measure(pipeline, prefix, plan, `pipeline with ${fetchers} fetcher(s)`);
  const perReport = Array.from({ length: plan.singles }, (_, i) => pipeline.tap.stages(`${prefix}-single-${i}`));
  const stages = Object.fromEntries(STAGES.map((stage) => [stage, median(perReport.map((s) => s[stage]))])) as Record<Stage, number>;
  return { ...measured, fetchers, stages };
}

/** The bare pipeline (bare-pipeline.ts): the same processes and hops with none of the services' features. */
export function measureBarePipeline(apiUrl: string, since: string, plan: Plan): Promise<Measured> {
  return startBarePipeline(apiUrl, since).then((bare) => measure(bare, `bare-l${plan.latencyMs}`, plan, 'bare pipeline'));
}

/** Singles, then a burst with every process watched; stops the pipeline either way. */
async function measure(pipeline: RunningPipeline, prefix: string, plan: Plan, what: string): Promise<Measured> {
  try {
    const singles = await measureSingles(pipeline.run, prefix, plan.warmup, plan.singles);
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
      singles,
      burst,
      rssMb: { aggregator: peakMb('aggregator'), fetcher: peakMb('fetcher'), importer: peakMb('importer') },
      cpuMsPerReport: Object.fromEntries(PROCESSES.map((name) => [name, cpuMs(name)])) as Record<ProcessName, number>,
    };
  } catch (err) {
    throw new Error(`${what} at ${plan.latencyMs} ms failed: ${(err as Error).message}\n${pipeline.logs()}`, { cause: err });
  } finally {
    await pipeline.stop();
  }
}
