/** `GET /api/reports/:id`: the report's status snapshot. */
import type { GatewayApp } from '../gateway-app.js';
import type { GatewayContext } from '../gateway-context.js';
import { existingStatus, ReportParams } from './report-params.js';

export function getReportRoute(app: GatewayApp, ctx: GatewayContext): void {
  app.get('/api/reports/:id', { schema: { params: ReportParams } }, async (req, reply) => {
    const status = await existingStatus(ctx, req.params.id);
    return reply.header('cache-control', 'no-store').send(status);
  });
}
