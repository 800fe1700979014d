import { ReportId, type ReportStatus } from '@hotrepos/contracts';
import { z } from 'zod';
import type { GatewayContext } from '../gateway-context.js';
import { ReportNotFoundError } from '../http-errors.js';

/** `:id` of every `/api/reports/:id...` route: a malformed id is a 400 before any lookup. */
export const ReportParams = z.strictObject({ id: ReportId });

export async function existingStatus(ctx: GatewayContext, reportId: string): Promise<ReportStatus> {
  const status = await ctx.statuses.get(reportId);
  if (!status) throw new ReportNotFoundError(reportId);
  return status;
}

/** Where a report is followed and fetched. */
export function reportLinks(reportId: string) {
  const statusUrl = `/api/reports/${encodeURIComponent(reportId)}`;
  return { statusUrl, eventsUrl: `${statusUrl}/events`, fileUrl: `${statusUrl}/file` };
}
