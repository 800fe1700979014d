/** `GET /healthz`: the process answers. `GET /readyz`: NATS is connected and every stream exists. */
import { Streams } from '@hotrepos/contracts';
import type { GatewayApp } from '../gateway-app.js';
import type { GatewayContext } from '../gateway-context.js';

const STREAM_NAMES = Object.values(Streams).map((s) => s.name);

export function healthRoutes(app: GatewayApp, ctx: GatewayContext): void {
  app.get('/healthz', async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', async (req, reply) => {
    const readiness = await ctx.bus.transport.ready(STREAM_NAMES);
    reply.header('cache-control', 'no-store');
    if (readiness.ok) return reply.send({ status: 'ready' });
    req.log.warn({ reason: readiness.reason }, 'not ready');
    return reply.code(503).send({ status: 'not ready', reason: readiness.reason ?? 'unknown' });
  });
}
