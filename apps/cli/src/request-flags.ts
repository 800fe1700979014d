/**
 * The `report` flags as a `reports.request`, checked by the contract before anything is published,
 * so a typo is a usage error naming the flag rather than a dead letter on `dlq.reports.request`.
 */
import { envDurationMs } from '@hotrepos/config';
import { ReportRequest } from '@hotrepos/contracts';
import { UsageError } from './errors.js';

export interface RequestFlags {
  readonly period?: string;
  readonly date?: string;
  readonly locale?: string;
  readonly notify?: readonly string[];
  readonly requestId?: string;
}

export function reportRequestFrom(flags: RequestFlags): ReportRequest {
  // Contract field → the flag that set it and its value, to name both in an error.
  const given: Readonly<Record<string, readonly [string, unknown]>> = {
    period: ['--period', flags.period],
    refDate: ['--date', flags.date],
    locale: ['--locale', flags.locale],
    notify: ['--notify', flags.notify],
    requestId: ['--request-id', flags.requestId],
  };
  const parsed = ReportRequest.safeParse(Object.fromEntries(Object.entries(given).map(([field, [, value]]) => [field, value])));
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(({ path, message }) => {
    const [field, index] = path;
    const [flag, value] = given[String(field)] ?? [String(field), undefined];
    const shown = typeof index === 'number' && Array.isArray(value) ? value[index] : value;
    return `${flag}${shown === undefined ? '' : ` "${String(shown)}"`}: ${message}`;
  });
  throw new UsageError(`invalid report request:\n  ${lines.join('\n  ')}`);
}

/** `--timeout` and the like: `30s`, `5m`, `1h`, or milliseconds, as the services' env accepts them. */
export function durationFlag(flag: string, value: string): number {
  const parsed = envDurationMs().safeParse(value);
  if (!parsed.success) throw new UsageError(`${flag}: expected a duration like 30s, 5m or 1h, got "${value}"`);
  return parsed.data;
}

/** A duration as `--timeout` would take it: `2m`, `10s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1_000 && ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
