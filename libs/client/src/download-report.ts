import { createHash } from 'node:crypto';
import type { Transport } from '@hotrepos/bus';
import { ObjectStores, type ReportStatus } from '@hotrepos/contracts';
import { ReportFileMissingError, ReportIntegrityError, ReportNotReadyError } from './errors.js';

/**
 * The report's CSV from the object store, checked against the size and SHA-256 its status records,
 * so a caller never hands on a truncated or replaced file.
 */
export async function downloadReport(transport: Transport, status: ReportStatus): Promise<Uint8Array> {
  const { reportId, file } = status;
  if (!file) throw new ReportNotReadyError(reportId, status.state);
  const store = await transport.objectStore(ObjectStores.Reports);
  const data = await store.get(file.objectKey);
  if (!data) throw new ReportFileMissingError(reportId, file.objectKey);
  const actual = { bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
  if (actual.bytes !== file.bytes || actual.sha256 !== file.sha256) {
    throw new ReportIntegrityError(reportId, file.objectKey, { bytes: file.bytes, sha256: file.sha256 }, actual);
  }
  return data;
}
