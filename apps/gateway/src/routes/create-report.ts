/**
 * `POST /api/reports`: validates against the `reports.request` contract (the fields a client may
 * set, no others), publishes the request and answers 202 with where to follow it. The request id
 * comes from `Idempotency-Key`, so a client retrying after a lost answer gets the same report; the
 * same key with another body within a day is refused with 422 (idempotency.ts).
 */
import { requestReport } from '@hotrepos/client';
import { ReportRequest } from '@hotrepos/contracts';
import { utcDate } from '@hotrepos/reports';
import type { GatewayApp } from '../gateway-app.js';
import type { GatewayContext } from '../gateway-context.js';
import { IDEMPOTENCY_KEY_HEADER, requestIdForKey } from '../idempotency.js';
import { reportLinks } from './report-params.js';

export function reportRequestBody(now: () => Date) {
  return ReportRequest.pick({ period: true, refDate: true, notify: true, locale: true }).superRefine((body, ctx) => {
    const today = utcDate(now());
    if (body.refDate !== undefined && body.refDate > today) {
      ctx.addIssue({ code: 'custom', path: ['refDate'], message: `must not be in the future (today is ${today} UTC)` });
    }
  });
}

export function createReportRoute(app: GatewayApp, ctx: GatewayContext): void {
  app.post('/api/reports', { schema: { body: reportRequestBody(ctx.now) } }, async (req, reply) => {
    const requestId = requestIdForKey(req.headers[IDEMPOTENCY_KEY_HEADER]);
    if (requestId) await ctx.idempotency.claim(requestId, req.body);
    const published = await requestReport(ctx.bus, { ...req.body, ...(requestId ? { requestId } : {}) });
    const { reportId } = published;
    // The stream spots a repeated msg id only within its duplicate window; a later retry of the same key finds the status instead.
    const duplicate = published.duplicate || (requestId !== undefined && (await ctx.statuses.get(reportId)) !== undefined);
    const links = reportLinks(reportId);
    req.log.info({ reportId, duplicate, period: req.body.period }, 'report requested');
    return reply.code(202).header('location', links.statusUrl).send({ reportId, duplicate, ...links });
  });
}
