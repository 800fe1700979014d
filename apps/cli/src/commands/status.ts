/** `hotrepos status <reportId>`: the report's current status from the `report-status` bucket. */
import { Buckets, ReportId, type ReportStatus } from '@hotrepos/contracts';
import { ReportStatusStore } from '@hotrepos/reports';
import { withTransport } from '../connect.js';
import { NotFoundError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, type CommonOptions, type Io } from '../io.js';
import { describeProgress } from '../progress.js';
import { runCommand } from '../run-command.js';

export interface StatusOptions extends CommonOptions {
  readonly reportId: string;
}

export function statusCommand(opts: StatusOptions, io: Io): Promise<ExitCode> {
  return runCommand(io, opts.json, async () => {
    // Checked first: a malformed id is not a valid KV key, and the broker's complaint would not say why.
    const id = ReportId.safeParse(opts.reportId);
    if (!id.success) throw new UsageError(`<reportId> "${opts.reportId}": ${id.error.issues.map((i) => i.message).join('; ')}`);
    return withTransport(opts.nats, async (transport) => {
      const status = await (await ReportStatusStore.open(transport)).get(id.data);
      if (!status) throw new NotFoundError(`no report ${id.data} in the ${Buckets.ReportStatus} bucket`);
      if (opts.json) printJson(io, status);
      else io.out(formatStatus(status));
      return ExitCode.Ok;
    });
  });
}

function formatStatus(status: ReportStatus): string {
  const { reportId, period, since, file, error, updatedAt } = status;
  const lines = [`report ${reportId}: ${describeProgress(status)}${period ? `, ${period} since ${since ?? '?'}` : ''}, updated ${updatedAt}`];
  if (file) lines.push(`file: ${file.path} (object ${file.objectKey}, ${file.bytes} bytes, sha256 ${file.sha256})`);
  if (error) lines.push(`failed at ${error.stage}: ${error.message} (${error.code})`);
  return `${lines.join('\n')}\n`;
}
