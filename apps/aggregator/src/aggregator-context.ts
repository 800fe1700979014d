import type { Logger } from '@hotrepos/logging';
import type { ReportStatusStore } from '@hotrepos/reports';
import type { HotBus } from '@hotrepos/runtime';
import type { NotifyStore } from './notify-store.js';
import type { PageStore } from './page-store.js';

/** What the handlers share. */
export interface AggregatorContext {
  readonly bus: HotBus;
  readonly statuses: ReportStatusStore;
  readonly pages: PageStore;
  readonly notify: NotifyStore;
  readonly now: () => Date;
  /** The per-task logger (`LOG_DIR/aggregator.<task>.log` and stdout). */
  log(task: string): Logger;
}
