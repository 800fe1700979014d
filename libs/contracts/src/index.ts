export { Subjects, type Subject, isSubject, DLQ_PREFIX, dlqSubject } from './subjects.js';
export { HeaderNames, type HeaderName, MessageHeaders } from './headers.js';
export { CONTRACT_VERSION, isSupportedContractVersion } from './version.js';
export {
  IsoDate,
  IsoDateTime,
  Email,
  Locale,
  RequestId,
  ReportId,
  PageNumber,
  PerPage,
  MAX_PAGES,
  MAX_PER_PAGE,
} from './scalars.js';
export { Repo } from './repo.js';
export { ReportPeriod } from './report-period.js';
export { ReportRequest, DEFAULT_PAGES } from './report-request.js';
export { ReportFetch } from './report-fetch.js';
export { ReportPage } from './report-page.js';
export { LanguageGroup, ReportAggregated } from './report-aggregated.js';
export { ReportFile } from './report-file.js';
export { ReportReady } from './report-ready.js';
export { ReportStage, ReportError, ReportFailed } from './report-failed.js';
export { MailTemplate, MailSend } from './mail-send.js';
export { ErrorReport, ErrorReportHttp } from './error-report.js';
export {
  DeadLetterReason,
  DeadLetterHeaders,
  type DeadLetterHeaderName,
  DeadLetterMessageHeaders,
  DeadLetter,
} from './dead-letter.js';
export { ReportState, ReportStatus } from './report-status.js';
export { contracts, type Contracts, type ContractMap, type PayloadOf, type InputOf } from './registry.js';
export { subjectMatches } from './subject-pattern.js';
export { type StreamSpec, Streams, Buckets, ObjectStores, streamFor } from './topology.js';
export { CONTRACT_DOCS_DIR, buildJsonSchemas, buildAsyncApi, renderContractDocs } from './export.js';
