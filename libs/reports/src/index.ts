export { ReportStatusStore, StatusConflictError, type StatusEntry, type StatusUpdate, type UpdateOptions, isFinal } from './status-store.js';
export { reportFileName, reportObjectKey } from './report-file-name.js';
export { sinceDate, utcDate } from './period.js';
