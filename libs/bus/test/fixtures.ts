import { z } from 'zod';
import type { StreamSpec } from '../src/index.js';

export const Job = z.strictObject({ n: z.int().nonnegative(), note: z.string().optional() });
export type Job = z.infer<typeof Job>;

export const testContracts = {
  'jobs.work': Job,
  'jobs.first': Job,
  'jobs.second': Job,
  'jobs.third': Job,
} as const;

export const testStreams: readonly StreamSpec[] = [
  { name: 'JOBS', subjects: ['jobs.>'], duplicateWindowMs: 60_000 },
  { name: 'DLQ', subjects: ['dlq.>'] },
];

export const fastBackoff = { initialMs: 20, maxMs: 100 };

const encoder = new TextEncoder();
export const bytes = (value: unknown): Uint8Array => encoder.encode(typeof value === 'string' ? value : JSON.stringify(value));

export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
