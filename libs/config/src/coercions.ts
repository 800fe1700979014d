/**
 * Schemas that turn environment strings into typed values. Booleans need no helper: use `z.stringbool()`.
 * Each accepts only a string, so `.default(...)` takes the parsed value (`envInt().default(3)`).
 */
import { z } from 'zod';

/** A whole number written in decimal; rejects `1e3` and `0x10`, which `z.coerce.number()` would accept. */
export function envInt() {
  return z
    .string()
    .trim()
    .regex(/^[+-]?\d+$/, 'expected an integer')
    .transform(Number);
}

/** Comma-separated values, trimmed, blanks dropped, each checked by `item`: `envList(z.string())`, `envList(envInt())`. */
export function envList<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(item));
}

const durationUnitsMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const durationPattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/;

/** A duration in milliseconds, written `1500ms`, `30s`, `5m`, `1h`, `1d` or as a bare number of milliseconds. */
export function envDurationMs() {
  return z
    .string()
    .trim()
    .transform((value, ctx) => {
      const match = durationPattern.exec(value);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: 'expected a duration like 1500ms, 30s, 5m, 1h or a number of milliseconds' });
        return z.NEVER;
      }
      const [, amount, unit] = match;
      return Math.round(Number(amount) * durationUnitsMs[(unit ?? 'ms') as keyof typeof durationUnitsMs]);
    });
}
