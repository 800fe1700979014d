/**
 * The report file's exact bytes, written here without the importer's CSV library so that a byte
 * comparison checks the importer: RFC 4180 with CRLF after every row (the last too), a cell quoted
 * when it holds a comma, quote or line break, quotes doubled, a single quote before a cell a
 * spreadsheet would run as a formula, UTF-8 without a BOM.
 */
import { expectedRows } from './expected-report.js';

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

function csvCell(value: string): string {
  const cell = FORMULA_START.has(value.charAt(0)) ? `'${value}` : value;
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function expectedCsv(since: string, count = 500): Buffer {
  return Buffer.from(
    expectedRows(since, count)
      .map((row) => `${row.map(csvCell).join(',')}\r\n`)
      .join(''),
    'utf8',
  );
}
