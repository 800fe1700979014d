/**
 * `GET /api/reports/:id/events`: the report's status as Server-Sent Events, one `status` event per
 * snapshot from the KV watch, ending after `ready` or `failed`. It may be opened before the
 * aggregator has created the status. The watch stops when the client leaves or the app closes.
 */
import { watchReport } from '@hotrepos/client';
import { EVENT_STREAM_HEADERS, openEventStream, type EventStream } from '../event-stream.js';
import { TooManyStreamsError } from '../http-errors.js';
import type { GatewayApp } from '../gateway-app.js';
import type { GatewayContext } from '../gateway-context.js';
import { ReportParams } from './report-params.js';

export function reportEventsRoute(app: GatewayApp, ctx: GatewayContext): void {
  let open = 0;
  // No HEAD twin: fastify would run this handler for it and drop the body unread, so the watch and keep-alive timer would never end.
  app.get('/api/reports/:id/events', { schema: { params: ReportParams }, exposeHeadRoute: false }, (req, reply) => {
    const reportId = req.params.id;
    if (open >= ctx.config.GATEWAY_SSE_MAX_STREAMS) throw new TooManyStreamsError(ctx.config.GATEWAY_SSE_MAX_STREAMS);
    const events = openEventStream({ keepAliveMs: ctx.config.GATEWAY_SSE_KEEPALIVE, stop: ctx.closing });
    open++;
    // 'close' comes once, after the end or when the client goes away. In the second case the
    // response never finishes, and its socket would keep the server from closing until the
    // keep-alive timeout: the client is gone, so the socket goes too.
    events.body.once('close', () => {
      open--;
      if (!reply.raw.writableFinished) req.raw.socket?.destroy();
    });
    const follow = async (stream: EventStream) => {
      try {
        for await (const status of watchReport(ctx.bus.transport, reportId, { signal: stream.signal })) stream.send('status', status);
      } catch (err) {
        if (!stream.signal.aborted) req.log.error({ err, reportId }, 'report event stream failed');
      } finally {
        stream.end();
      }
    };
    void follow(events);
    return reply.headers(EVENT_STREAM_HEADERS).send(events.body);
  });
}
