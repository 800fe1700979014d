/**
 * What a client (the CLI, the gateway) needs to ask for a report, follow it and fetch the file,
 * with nothing but a bus or a transport: no service is called directly.
 */
export { requestReport, type RequestReportOptions, type RequestedReport } from './request-report.js';
export { natsConnectionEvents, type ConnectionEvent, type ConnectionEvents } from './connection-events.js';
export { REOPEN_BACKOFF, watchReport, type WatchReportOptions } from './watch-report.js';
export { waitForReport, type WaitForReportOptions } from './wait-for-report.js';
export { downloadReport } from './download-report.js';
export { ReportFailedError, ReportFileMissingError, ReportIntegrityError, ReportNotReadyError, ReportTimeoutError, ReportWatchEndedError } from './errors.js';
