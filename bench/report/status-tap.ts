/**
 * Every report status change as the client sees it, from one watch over the `report-status`
 * bucket. `waitForReport` opens a watch (an ordered consumer on the broker) per report; a burst of
 * a hundred would then load the very broker being measured, so one watch serves every report here.
 * It sees each revision the services write, so it also tells how long each stage took.
 */
import type { Transport } from '@hotrepos/bus';
import { ReportFailedError, ReportTimeoutError } from '@hotrepos/client';
import type { ReportState, ReportStatus } from '@hotrepos/contracts';
import { isFinal, ReportStatusStore } from '@hotrepos/reports';
import { nowMs } from '../shared/clock.js';

/** A report's life in the services' clocks (each state's first `updatedAt`), then when the client saw it ready. */
export const STAGES = ['broker → aggregator', 'plan fetch jobs', 'fetch pages, store, count', 'join, hand to importer', 'CSV, file, object store', 'status → client'] as const;
export type Stage = (typeof STAGES)[number];

const STAGE_ENDS: readonly ReportState[] = ['queued', 'fetching', 'aggregating', 'importing', 'ready'];

interface Tracked {
  readonly publishedAt: number;
  readonly firstAt: Partial<Record<ReportState, number>>;
  seenReadyAt?: number;
  last?: ReportStatus;
  settle?: (err?: Error) => void;
}

export class StatusTap {
  readonly #reports = new Map<string, Tracked>();
  readonly #watch: Awaited<ReturnType<ReportStatusStore['watch']>>;
  readonly #done: Promise<void>;

  private constructor(watch: Awaited<ReturnType<ReportStatusStore['watch']>>) {
    this.#watch = watch;
    // A watch that breaks (connection lost) fails the reports awaited rather than leave them to their timeouts.
    this.#done = this.#follow().catch((err: unknown) => this.#failAll(err instanceof Error ? err : new Error(String(err))));
  }

  static async open(transport: Transport): Promise<StatusTap> {
    return new StatusTap(await (await ReportStatusStore.open(transport)).watch('>'));
  }

  /** Call right before publishing the request: resolves once the report is ready, rejects when it failed or timed out. */
  expect(reportId: string, timeoutMs: number): Promise<void> {
    const tracked: Tracked = { publishedAt: nowMs(), firstAt: {} };
    this.#reports.set(reportId, tracked);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => tracked.settle?.(new ReportTimeoutError(reportId, timeoutMs, tracked.last)), timeoutMs);
      tracked.settle = (err) => {
        clearTimeout(timer);
        tracked.settle = undefined;
        if (err) reject(err);
        else resolve();
      };
    });
  }

  /** Milliseconds per stage of a report that is ready; a state the report skipped (pages all in at once skip `fetching`) takes 0 ms. */
  stages(reportId: string): Record<Stage, number> {
    const tracked = this.#reports.get(reportId);
    if (tracked?.seenReadyAt === undefined) throw new Error(`report ${reportId} was not seen ready`);
    const times = [tracked.publishedAt, ...STAGE_ENDS.map((state) => tracked.firstAt[state]), tracked.seenReadyAt];
    for (let i = times.length - 2; i > 0; i--) times[i] ??= times[i + 1];
    return Object.fromEntries(STAGES.map((stage, i) => [stage, (times[i + 1] as number) - (times[i] as number)])) as Record<Stage, number>;
  }

  /** Ends the watch; reports still awaited fail at once rather than hold the process until their timeout. */
  async stop(): Promise<void> {
    this.#watch.stop();
    await this.#done;
    this.#failAll(new Error('status watch stopped before the report finished'));
  }

  #failAll(reason: Error): void {
    for (const tracked of this.#reports.values()) tracked.settle?.(reason);
  }

  async #follow(): Promise<void> {
    for await (const status of this.#watch) {
      const tracked = this.#reports.get(status.reportId);
      if (!tracked) continue;
      tracked.last = status;
      // `queued` is stamped when the aggregator took the request; later states when they were written.
      tracked.firstAt[status.state] ??= Date.parse(status.state === 'queued' ? (status.createdAt ?? status.updatedAt) : status.updatedAt);
      if (!isFinal(status)) continue;
      if (status.state === 'ready') tracked.seenReadyAt = nowMs();
      tracked.settle?.(status.state === 'failed' ? new ReportFailedError(status) : undefined);
    }
  }
}
