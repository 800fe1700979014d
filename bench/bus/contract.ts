/**
 * The message both variants carry, and the contract map and streams the typed bus needs for it.
 * The raw variant sends `JSON.stringify` of the very same object, so the bytes on the wire differ
 * only by the headers the typed bus adds.
 */
import type { StreamSpec } from '@hotrepos/bus';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const SUBJECT = 'bench.msgs';
export const STREAM = 'BENCH';

export const BenchMessage = z.strictObject({ seq: z.int(), sentAt: z.number(), blob: z.string() });
export type BenchMessage = z.infer<typeof BenchMessage>;

export const benchContracts = { [SUBJECT]: BenchMessage } as const;

export const benchStreams: readonly StreamSpec[] = [
  { name: STREAM, subjects: ['bench.>'] },
  { name: 'DLQ', subjects: ['dlq.>'] },
];

/** Room for `{"seq":…,"sentAt":…,"blob":""}`, so the whole JSON body is about `sizeBytes`. */
const ENVELOPE_BYTES = 52;

/** A blob that makes a message about `sizeBytes` long; incompressible, like real payloads. */
export function blobFor(sizeBytes: number): string {
  const length = Math.max(0, sizeBytes - ENVELOPE_BYTES);
  return randomBytes(length).toString('base64url').slice(0, length);
}
