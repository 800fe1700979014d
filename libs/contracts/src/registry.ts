/**
 * Subject → payload schema. The bus validates every message against this table on publish
 * and on consume, so adding a subject without a contract is a type error, not a runtime surprise.
 */
import type { z } from 'zod';
import { ErrorReport } from './error-report.js';
import { MailSend } from './mail-send.js';
import { ReportAggregated } from './report-aggregated.js';
import { ReportFailed } from './report-failed.js';
import { ReportFetch } from './report-fetch.js';
import { ReportPage } from './report-page.js';
import { ReportReady } from './report-ready.js';
import { ReportRequest } from './report-request.js';
import { Subjects, type Subject } from './subjects.js';

/** Any subject → schema table, for code (the bus, tests) that works with tables other than ours. */
export type ContractMap = Record<string, z.ZodType>;

export const contracts = {
  [Subjects.ReportsRequest]: ReportRequest,
  [Subjects.ReportsFetch]: ReportFetch,
  [Subjects.ReportsPage]: ReportPage,
  [Subjects.ReportsAggregated]: ReportAggregated,
  [Subjects.ReportsReady]: ReportReady,
  [Subjects.ReportsFailed]: ReportFailed,
  [Subjects.MailSend]: MailSend,
  [Subjects.ErrorsReport]: ErrorReport,
} as const satisfies ContractMap & Record<Subject, z.ZodType>;

export type Contracts = typeof contracts;

/** What a consumer receives: defaults applied. */
export type PayloadOf<S extends keyof Contracts> = z.output<Contracts[S]>;

/** What a producer may send: defaulted fields may be left out. */
export type InputOf<S extends keyof Contracts> = z.input<Contracts[S]>;
