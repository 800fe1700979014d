import { z } from 'zod';
import { IsoDateTime } from './scalars.js';

/** The HTTP request a failure answered, so an admin can find it in the logs by its request id. */
export const ErrorReportHttp = z
  .strictObject({
    method: z.string().min(1).max(16),
    route: z.string().min(1).max(256).describe('The route pattern, e.g. `/api/reports/:id`, not the URL'),
    status: z.int().min(500).max(599),
    requestId: z.string().min(1).max(128).describe('The `x-request-id` the client got'),
  })
  .describe('The HTTP request a failure answered');
export type ErrorReportHttp = z.infer<typeof ErrorReportHttp>;

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
    http: ErrorReportHttp.optional().describe('Set when the failure answered an HTTP request with a 5xx'),
  })
  .describe('A failure reported by a service');
export type ErrorReport = z.infer<typeof ErrorReport>;
