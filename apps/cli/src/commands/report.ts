/**
 * `hotrepos report`: validates the flags against the `reports.request` contract, publishes the request
 * and prints the reportId; with `--wait` (implied by `--out`) follows the status until the report is
 * ready, and with `--out` saves the file from the object store, its size and SHA-256 checked.
 * `--wait` rides out a NATS outage until `--timeout`, and says so when nothing picks the request up.
 */
import { downloadReport, natsConnectionEvents, requestReport, waitForReport } from '@hotrepos/client';
import type { ReportStatus } from '@hotrepos/contracts';
import { createHotBus } from '@hotrepos/runtime';
import { withTransport } from '../connect.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, type CommonOptions, type Io } from '../io.js';
import { redactNatsUrl } from '../nats-url.js';
import { reportProgress } from '../progress.js';
import { durationFlag, formatDuration, reportRequestFrom, type RequestFlags } from '../request-flags.js';
import { runCommand } from '../run-command.js';
import { saveFile } from '../save-file.js';

export interface ReportOptions extends CommonOptions, RequestFlags {
  readonly wait?: boolean;
  /** A file, or a folder to save the report under its own name. */
  readonly out?: string;
  /** How long `--wait` waits for a final state: `30s`, `5m`... */
  readonly timeout?: string;
  /** How long `--wait` waits for a first status before saying that nothing has picked the request up; `NO_PICKUP_HINT_AFTER_MS` by default. */
  readonly noPickupHintAfterMs?: number;
}

export const DEFAULT_REPORT_TIMEOUT = '5m';

/**
 * The aggregator writes a report's first status within a second of the request. Ten seconds without
 * one almost always means that no service reads requests on this broker: the user should hear that
 * long before `--timeout`, not as "no status seen" at its end.
 */
export const NO_PICKUP_HINT_AFTER_MS = 10_000;

export function reportCommand(opts: ReportOptions, io: Io): Promise<ExitCode> {
  return runCommand(io, opts.json, async () => {
    const request = reportRequestFrom(opts);
    const timeout = opts.timeout ?? DEFAULT_REPORT_TIMEOUT;
    const timeoutMs = durationFlag('--timeout', timeout);
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
      const url = redactNatsUrl(opts.nats);
      const connection = natsConnectionEvents(transport);
      // A progress that stops needs a reason; the connection closes only when the command is done.
      const unfollow = connection.subscribe((event) => {
        if (event === 'disconnected') progress.note(`lost the connection to NATS at ${url}; waiting for it to come back, up to --timeout ${timeout}`);
        if (event === 'reconnected') progress.note(`reconnected to NATS at ${url}; following report ${reportId} again`);
      });
      const hintAfterMs = opts.noPickupHintAfterMs ?? NO_PICKUP_HINT_AFTER_MS;
      const hint = setTimeout(
        () =>
          progress.note(
            `nothing has picked up report ${reportId} after ${formatDuration(hintAfterMs)}: are the hotrepos services (the aggregator) running against NATS at ${url}? Still waiting, up to --timeout ${timeout}`,
          ),
        hintAfterMs,
      );
      let status: ReportStatus;
      try {
        status = await waitForReport(transport, reportId, {
          timeoutMs,
          connection,
          onProgress: (s) => {
            clearTimeout(hint);
            progress.update(s);
          },
        });
      } finally {
        clearTimeout(hint);
        unfollow();
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
