import type { ObjectStore } from '@hotrepos/bus';
import type { ReportStatusStore } from '@hotrepos/reports';
import type { ErrorReporter, HotBus } from '@hotrepos/runtime';
import type { GatewayConfig } from './config.js';
import type { IdempotencyKeys } from './idempotency.js';

/** What the routes share. */
export interface GatewayContext {
  readonly bus: HotBus;
  readonly statuses: ReportStatusStore;
  /** What each `Idempotency-Key` was first sent with. */
  readonly idempotency: IdempotencyKeys;
  /** The `reports` object store bucket. */
  readonly reports: ObjectStore;
  readonly config: GatewayConfig;
  readonly errors: ErrorReporter;
  readonly now: () => Date;
  /** Aborted when the app starts closing: open event streams end. */
  readonly closing: AbortSignal;
}
