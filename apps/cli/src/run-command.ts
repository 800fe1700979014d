import { ReportFailedError, ReportTimeoutError } from '@hotrepos/client';
import { exitCodeFor, type ExitCode } from './exit-codes.js';
import { printJson, type Io } from './io.js';

/**
 * Runs a command's body and turns whatever it throws into a message and an exit code, so every
 * command fails the same way: one line on stderr, or with `--json` one `{ error }` object on stdout.
 */
export async function runCommand(io: Io, json: boolean | undefined, body: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await body();
  } catch (err) {
    const code = exitCodeFor(err);
    if (json) printJson(io, { error: errorDetails(err) });
    // Errors with a code are expected and their message says it all; anything else is a bug, and its stack helps.
    else io.err(`hotrepos: ${hasCode(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return code;
  }
}

function hasCode(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}

function errorDetails(err: unknown): Record<string, unknown> {
  const base = { code: hasCode(err) ? err.code : 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
  if (err instanceof ReportFailedError) return { ...base, reportId: err.reportId, report: err.error };
  if (err instanceof ReportTimeoutError) return { ...base, reportId: err.reportId, last: err.last };
  return base;
}
