import { randomUUID } from 'node:crypto';
import type { Bus, Scope } from '@hotrepos/bus';
import { Subjects, type Contracts, type InputOf } from '@hotrepos/contracts';

export interface RequestReportOptions {
  /** Scope values (locale, correlation id...) for this request; each wins over the caller's current scope. */
  readonly scope?: Scope;
}

export interface RequestedReport {
  readonly reportId: string;
  /** True when the stream already had this requestId: a retry of a request it accepted before. */
  readonly duplicate: boolean;
}

/**
 * Publishes `reports.request`. The aggregator names the report after the requestId, so the caller
 * knows the reportId at once, and the requestId is also the msg id: a client retrying after a lost
 * acknowledgement asks for the same report, not a second one. Reusing a requestId is how a caller
 * retries; a fresh one is generated when none is given.
 */
export async function requestReport(
  bus: Pick<Bus<Contracts>, 'publish'>,
  request: InputOf<'reports.request'>,
  opts: RequestReportOptions = {},
): Promise<RequestedReport> {
  const requestId = request.requestId ?? randomUUID();
  const ack = await bus.publish(Subjects.ReportsRequest, { ...request, requestId }, { msgId: requestId, ...(opts.scope ? { scope: opts.scope } : {}) });
  return { reportId: requestId, duplicate: ack.duplicate };
}
