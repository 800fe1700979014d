import { z } from 'zod';
import { IsoDateTime } from './scalars.js';

/** `errors.report`: a failure worth an administrator's attention. */
export const ErrorReport = z
  .strictObject({
    service: z.string().min(1).max(64),
    subject: z.string().min(1).max(256).optional().describe('The subject being handled when it failed'),
    message: z.string().max(10_000),
    stack: z.string().max(50_000).optional(),
    fingerprint: z
      .string()
      .min(1)
      .max(128)
      .describe('Same failure, same fingerprint: the mailer groups and throttles by it'),
    occurredAt: IsoDateTime,
  })
  .describe('A failure reported by a service');
export type ErrorReport = z.infer<typeof ErrorReport>;
