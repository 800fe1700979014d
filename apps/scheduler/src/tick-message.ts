/**
 * What a schedule publishes for one tick. Everything is derived from the schedule and the tick
 * time, never from the replica or the moment it runs, so every replica builds the same message and
 * JetStream keeps one of them.
 */
import { Subjects, type Subject } from '@hotrepos/contracts';
import { zonedDate } from './zoned-time.js';

export interface TickSource {
  readonly name: string;
  readonly timezone: string;
  readonly subject: Subject;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface TickMessage {
  readonly subject: Subject;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `Nats-Msg-Id`: `schedule:<name>:<tick, ISO UTC>`. */
  readonly msgId: string;
}

/** `2026-11-28T00:00:00.000Z` → `20261128T000000Z`. */
export function compactUtc(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export function tickMessage(schedule: TickSource, tick: Date): TickMessage {
  return { subject: schedule.subject, payload: payloadFor(schedule, tick), msgId: `schedule:${schedule.name}:${tick.toISOString()}` };
}

function payloadFor(schedule: TickSource, tick: Date): Readonly<Record<string, unknown>> {
  if (schedule.subject !== Subjects.ReportsRequest) return schedule.payload;
  const { payload } = schedule;
  return {
    ...payload,
    // One report per tick: the aggregator treats a repeated requestId as the same report.
    requestId: payload['requestId'] ?? `${schedule.name}-${compactUtc(tick)}`,
    // The day the tick falls on where the schedule lives, so a midnight report counts back from the day
    // that just began (as the original did from "now"), and a late or caught-up tick still reports on its own day.
    refDate: payload['refDate'] ?? zonedDate(tick, schedule.timezone),
  };
}
