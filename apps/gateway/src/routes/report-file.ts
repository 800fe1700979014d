/**
 * `GET /api/reports/:id/file`: the CSV streamed from the object store. The ETag is the SHA-256 the
 * status records, and the stored object's size and digest must be that file's before a byte goes
 * out: the store's own digest check comes only after the last chunk, too late to refuse the answer.
 * nats.js reads the chunks without backpressure, so a slow client can hold one file in memory;
 * a report's CSV is tens of kilobytes.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ReportFileMissingError, ReportIntegrityError, ReportNotReadyError } from '@hotrepos/client';
import type { GatewayApp } from '../gateway-app.js';
import type { GatewayContext } from '../gateway-context.js';
import { existingStatus, ReportParams } from './report-params.js';

export function reportFileRoute(app: GatewayApp, ctx: GatewayContext): void {
  // No HEAD twin: fastify would stream the whole object from the store only to throw it away.
  app.get('/api/reports/:id/file', { schema: { params: ReportParams }, exposeHeadRoute: false }, async (req, reply) => {
    const status = await existingStatus(ctx, req.params.id);
    const { file } = status;
    if (!file) throw new ReportNotReadyError(status.reportId, status.state);
    const etag = `"${file.sha256}"`;
    if (req.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).send();
    const opened = await ctx.reports.open(file.objectKey);
    if (!opened) throw new ReportFileMissingError(status.reportId, file.objectKey);
    const stored = { bytes: opened.info.size, sha256: sha256Hex(opened.info.digest) };
    if (stored.bytes !== file.bytes || stored.sha256 !== file.sha256) {
      await opened.stream.cancel();
      throw new ReportIntegrityError(status.reportId, file.objectKey, { bytes: file.bytes, sha256: file.sha256 }, stored);
    }
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

/** `SHA-256=<base64url>`, as both object store adapters record it, as the hex the status holds. */
function sha256Hex(digest: string): string {
  return Buffer.from(digest.replace(/^SHA-256=/, ''), 'base64url').toString('hex');
}
