import type { ObjectStore } from '@hotrepos/bus';
import type { Logger } from '@hotrepos/logging';
import type { ReportStatusStore } from '@hotrepos/reports';
import type { HotBus } from '@hotrepos/runtime';
import type { ReportFormat } from './config.js';

/** What the handler shares. */
export interface ImporterContext {
  readonly bus: HotBus;
  readonly statuses: ReportStatusStore;
  /** The `reports` object store bucket. */
  readonly reports: ObjectStore;
  /** Absolute, so the `path` announced in `reports.ready` does not depend on the importer's working directory. */
  readonly mediaRoot: string;
  readonly format: ReportFormat;
  /** The delivery on which the bus gives up on a failing message. */
  readonly maxDeliver: number;
  readonly now: () => Date;
  /** The per-task logger (`LOG_DIR/importer.<task>.log` and stdout). */
  log(task: string): Logger;
}
