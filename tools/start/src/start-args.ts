/** `npm start -- [--report <period>] [--offline]`; anything else is a usage error (exit 2). */
import { ReportPeriod } from '@hotrepos/contracts';
import { parseArgs } from 'node:util';

export interface StartArgs {
  /** Ask for one report of this period once started. */
  readonly period: ReportPeriod | undefined;
  /** Serve GitHub's search from the fixture in this process. */
  readonly offline: boolean;
}

export const START_USAGE = `usage: npm start [-- [--report ${ReportPeriod.options.join('|')}] [--offline]]`;

export class StartUsageError extends Error {
  override readonly name = 'StartUsageError';
  readonly code = 'START_USAGE';
}

export function parseStartArgs(args: readonly string[]): StartArgs {
  try {
    const { report, offline } = parseArgs({ args: [...args], options: { report: { type: 'string' }, offline: { type: 'boolean', default: false } } }).values;
    return { period: report === undefined ? undefined : ReportPeriod.parse(report), offline };
  } catch (err) {
    throw new StartUsageError(START_USAGE, { cause: err });
  }
}
