/**
 * Puts a report's CSV where it is read from: `MEDIA_ROOT/<reportId>/<name>` for people and the
 * object store for services. The file keeps the promised name `github-hot-repos-<since>.csv`; the
 * per-report folder is what stops two reports of the same day (a scheduled one and a requested
 * one, say) from overwriting each other. The report id is safe as one path segment: its contract
 * pattern allows no `/` and no `.` or `..`.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ReportFile } from '@hotrepos/contracts';
import { reportFileName, reportObjectKey } from '@hotrepos/reports';
import { writeFileAtomic } from './atomic-write.js';
import type { ImporterContext } from './importer-context.js';
import { ReportWriteError } from './report-write-error.js';

export async function storeReport(app: ImporterContext, reportId: string, since: string, csv: Uint8Array): Promise<ReportFile> {
  const name = reportFileName(since);
  const path = join(app.mediaRoot, reportId, name);
  const objectKey = reportObjectKey(reportId, since);
  // Both copies at once: neither needs the other, and the fsynced file alone took longer than the rest of an import.
  await Promise.all([
    writeFileAtomic(path, csv).catch((err: unknown) => {
      throw new ReportWriteError(path, { cause: err });
    }),
    app.reports.put(objectKey, csv),
  ]);
  return { name, bytes: csv.byteLength, sha256: createHash('sha256').update(csv).digest('hex'), objectKey, path };
}
