/** `GET /api/reports/:id/languages`: the stored CSV as language groups, the page's result table. */
import { ReportFileMissingError, ReportNotReadyError } from '@hotrepos/client';
import type { GatewayApp } from '../gateway-app.js';
import type { GatewayContext } from '../gateway-context.js';
import { ReportCsvUnreadableError } from '../http-errors.js';
import { languagesFromCsv } from '../report-languages.js';
import { existingStatus, ReportParams } from './report-params.js';

export function reportLanguagesRoute(app: GatewayApp, ctx: GatewayContext): void {
  app.get('/api/reports/:id/languages', { schema: { params: ReportParams } }, async (req, reply) => {
    const status = await existingStatus(ctx, req.params.id);
    const { file } = status;
    if (!file) throw new ReportNotReadyError(status.reportId, status.state);
    const csv = await ctx.reports.get(file.objectKey);
    if (!csv) throw new ReportFileMissingError(status.reportId, file.objectKey);
    let groups;
    try {
      groups = languagesFromCsv(csv);
    } catch (err) {
      throw new ReportCsvUnreadableError(status.reportId, file.objectKey, { cause: err });
    }
    return reply.header('etag', `"${file.sha256}"`).send({ reportId: status.reportId, groups });
  });
}
