/** `GET /api/reports?limit=N`: the newest reports first, by `createdAt` (those without one last). */
import type { ReportStatus } from '@hotrepos/contracts';
import { z } from 'zod';
import { MAX_RECENT_LIMIT } from '../config.js';
import type { GatewayApp } from '../gateway-app.js';
import type { GatewayContext } from '../gateway-context.js';

const newestFirst = (a: ReportStatus, b: ReportStatus) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.updatedAt.localeCompare(a.updatedAt);

export function listReportsRoute(app: GatewayApp, ctx: GatewayContext): void {
  const Query = z.object({ limit: z.coerce.number().int().min(1).max(MAX_RECENT_LIMIT).default(ctx.config.GATEWAY_RECENT_LIMIT) });
  app.get('/api/reports', { schema: { querystring: Query } }, async (req, reply) => {
    const reports = (await ctx.statuses.list()).sort(newestFirst).slice(0, req.query.limit);
    return reply.header('cache-control', 'no-store').send({ reports });
  });
}
