/**
 * `hotrepos report`: validates the flags against the `reports.request` contract, publishes the request
 * and prints the reportId; with `--wait` (implied by `--out`) follows the status until the report is
 * ready, and with `--out` saves the file from the object store, its size and SHA-256 checked.
 */
import { downloadReport, requestReport, waitForReport } from '@hotrepos/client';
import type { ReportStatus } from '@hotrepos/contracts';
import { createHotBus } from '@hotrepos/runtime';
import { withTransport } from '../connect.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, type CommonOptions, type Io } from '../io.js';
import { reportProgress } from '../progress.js';
import { durationFlag, reportRequestFrom, type RequestFlags } from '../request-flags.js';
import { runCommand } from '../run-command.js';
import { saveFile } from '../save-file.js';

export interface ReportOptions extends CommonOptions, RequestFlags {
  readonly wait?: boolean;
  /** A file, or a folder to save the report under its own name. */
  readonly out?: string;
  /** How long `--wait` waits for a final state: `30s`, `5m`... */
  readonly timeout?: string;
}

export const DEFAULT_REPORT_TIMEOUT = '5m';

export function reportCommand(opts: ReportOptions, io: Io): Promise<ExitCode> {
  return runCommand(io, opts.json, async () => {
    const request = reportRequestFrom(opts);
    const timeoutMs = durationFlag('--timeout', opts.timeout ?? DEFAULT_REPORT_TIMEOUT);
    return withTransport(opts.nats, async (transport) => {
      const bus = await createHotBus(transport, { service: 'hotrepos-cli' });
      const { reportId, duplicate } = await requestReport(bus, request);
      if (!opts.json) {
        io.out(`${reportId}\n`);
        if (duplicate) io.err(`report ${reportId} was requested before with this --request-id; following that one\n`);
      }
      if (!opts.wait && !opts.out) {
        if (opts.json) printJson(io, { reportId, duplicate });
        return ExitCode.Ok;
      }

      const progress = reportProgress(io, opts.json);
      let status: ReportStatus;
      try {
        status = await waitForReport(transport, reportId, { timeoutMs, onProgress: (s) => progress.update(s) });
      } finally {
        progress.stop();
      }
      let out: string | undefined;
      if (opts.out) {
        const data = await downloadReport(transport, status);
        // downloadReport has checked that the status names a file.
        out = await saveFile(opts.out, status.file!.name, data);
      }

      if (opts.json) printJson(io, { reportId, duplicate, status, ...(out ? { out } : {}) });
      else {
        if (status.file) io.out(`ready: ${status.file.name}, ${status.file.bytes} bytes, sha256 ${status.file.sha256}\n`);
        if (out) io.out(`saved to ${out}\n`);
      }
      return ExitCode.Ok;
    });
  });
}
