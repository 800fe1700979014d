/**
 * `GET /api/reports/:id/file`: the CSV streamed from the object store, never held whole in memory.
 * The ETag is the SHA-256 the status records; the object store checks the bytes against its own
 * digest as they stream, and a mismatch cuts the response short rather than finish it.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ReportFileMissingError, ReportNotReadyError } from '@hotrepos/client';
import type { GatewayApp } from '../gateway-app.js';
import type { GatewayContext } from '../gateway-context.js';
import { existingStatus, ReportParams } from './report-params.js';

export function reportFileRoute(app: GatewayApp, ctx: GatewayContext): void {
  app.get('/api/reports/:id/file', { schema: { params: ReportParams } }, async (req, reply) => {
    const status = await existingStatus(ctx, req.params.id);
    const { file } = status;
    if (!file) throw new ReportNotReadyError(status.reportId, status.state);
    const etag = `"${file.sha256}"`;
    if (req.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).send();
    const opened = await ctx.reports.open(file.objectKey);
    if (!opened) throw new ReportFileMissingError(status.reportId, file.objectKey);
    return reply
      .headers({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`,
        'content-length': opened.info.size,
        etag,
      })
      .send(Readable.fromWeb(opened.stream as WebReadableStream<Uint8Array>));
  });
}
