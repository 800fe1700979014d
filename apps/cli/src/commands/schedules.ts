/**
 * `hotrepos schedules`: each schedule's last tick, as the scheduler recorded it in the `scheduler-state`
 * bucket, and its next runs. The bucket knows names and ticks but not the cron patterns, so the next runs
 * come from `SCHEDULES` in the CLI's environment: run it with the scheduler's `SCHEDULES` (or none, for
 * the default). Names recorded in the bucket but missing from `SCHEDULES` are listed too: they are
 * schedules the scheduler ran under another configuration.
 */
import type { Transport } from '@hotrepos/bus';
import { z } from 'zod';
import { withTransport } from '../connect.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, type CommonOptions, type Io } from '../io.js';
import { runCommand } from '../run-command.js';
import { nextRuns, readSchedules } from '../schedules-env.js';

export interface SchedulesOptions extends CommonOptions {
  /** The `SCHEDULES` text; undefined or empty for the scheduler's default. */
  readonly schedules: string | undefined;
  readonly now?: Date;
}

export interface ScheduleView {
  readonly name: string;
  /** Null for a schedule known only from the bucket. */
  readonly cron: string | null;
  readonly timezone: string | null;
  readonly subject: string | null;
  /** The last tick the scheduler ran (ISO, UTC); null before its first start with this schedule. */
  readonly lastTick: string | null;
  readonly next: readonly string[];
}

// The scheduler's bucket and value shape (apps/scheduler/src/tick-state.ts); only `lastTick` is read.
const SCHEDULER_STATE_BUCKET = 'scheduler-state';
const TickState = z.object({ lastTick: z.iso.datetime() });
const NEXT_RUNS = 3;
const decoder = new TextDecoder();

export function schedulesCommand(opts: SchedulesOptions, io: Io): Promise<ExitCode> {
  return runCommand(io, opts.json, async () => {
    const now = opts.now ?? new Date();
    const schedules = readSchedules(opts.schedules);
    const next = new Map(schedules.map((s) => [s.name, nextRuns(s, now, NEXT_RUNS).map((d) => d.toISOString())]));
    const ticks = await withTransport(opts.nats, lastTicks);
    const views: ScheduleView[] = [
      ...schedules.map(({ name, cron, timezone, subject }) => ({ name, cron, timezone, subject, lastTick: ticks.get(name) ?? null, next: next.get(name) ?? [] })),
      ...[...ticks]
        .filter(([name]) => !next.has(name))
        .map(([name, lastTick]) => ({ name, cron: null, timezone: null, subject: null, lastTick, next: [] })),
    ];
    if (opts.json) printJson(io, views);
    else io.out(views.map(formatSchedule).join(''));
    return ExitCode.Ok;
  });
}

async function lastTicks(transport: Transport): Promise<Map<string, string | null>> {
  const kv = await transport.keyValue(SCHEDULER_STATE_BUCKET);
  const ticks = new Map<string, string | null>();
  for (const key of await kv.keys()) {
    const entry = await kv.get(key);
    // A value the scheduler cannot read either (SCHEDULER_STATE_INVALID) shows as no tick, not as a failed listing.
    const state = entry ? TickState.safeParse(safeJson(decoder.decode(entry.value))) : undefined;
    ticks.set(key, state?.success ? state.data.lastTick : null);
  }
  return ticks;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function formatSchedule({ name, cron, timezone, subject, lastTick, next }: ScheduleView): string {
  const head = cron ? `${name}: ${cron} (${timezone}) → ${subject}` : `${name}: recorded by the scheduler, not in SCHEDULES`;
  return `${head}\n  last tick  ${lastTick ?? '-'}\n${next.length > 0 ? `  next       ${next.join(', ')}\n` : ''}`;
}
