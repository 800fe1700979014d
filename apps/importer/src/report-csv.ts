/**
 * A report as CSV bytes: RFC 4180 (CRLF line ends, quotes doubled, a cell quoted when it holds a
 * comma, quote or line break), UTF-8 without a BOM, and every cell a spreadsheet would run as a
 * formula (starting with `=`, `+`, `-`, `@`, tab or carriage return, per OWASP's CSV injection
 * guidance, and their full-width forms) prefixed with a single quote.
 *
 * `grouped` is the original's format: one row per language in the order the aggregator sorted
 * them, the language and then the repositories' full names. It has no header row: the original
 * had none, and rows of different lengths have no columns a header could name. `detailed` has one
 * row per repository under a `language,name,stars,url` header, because its columns are fixed.
 */
import type { LanguageGroup } from '@hotrepos/contracts';
import { stringify, type Options } from 'csv-stringify/sync';
import type { ReportFormat } from './config.js';

type Cell = string | number;

const DETAILED_HEADER: Cell[] = ['language', 'name', 'stars', 'url'];

const CSV_OPTIONS: Options = {
  record_delimiter: '\r\n',
  // A custom record delimiter turns this off by default, which would leave a lone `\n` in a cell unquoted.
  quote_record_delimiter: true,
  escape_formulas: true,
};

export function reportCsv(groups: readonly LanguageGroup[], format: ReportFormat): Uint8Array {
  return Buffer.from(stringify(reportRows(groups, format), CSV_OPTIONS), 'utf8');
}

function reportRows(groups: readonly LanguageGroup[], format: ReportFormat): Cell[][] {
  if (format === 'grouped') return groups.map((g) => [g.language, ...g.repos.map((r) => r.fullName)]);
  return [DETAILED_HEADER, ...groups.flatMap((g) => g.repos.map((r) => [g.language, r.fullName, r.stars, r.htmlUrl]))];
}
