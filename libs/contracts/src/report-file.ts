import { z } from 'zod';

/**
 * Where a finished report was written. Both locations are given because the object store is
 * what other services read and `path` (under MEDIA_ROOT) is what a person opens.
 */
export const ReportFile = z
  .strictObject({
    name: z.string().min(1).max(255),
    bytes: z.int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'Expected 64 lowercase hex digits'),
    objectKey: z.string().min(1).max(1024),
    path: z.string().min(1).max(4096),
  })
  .describe('A stored report file');
export type ReportFile = z.infer<typeof ReportFile>;
