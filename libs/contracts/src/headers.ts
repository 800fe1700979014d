/**
 * Message headers: the scope that travels with every message (see libs/scope) plus the
 * contract version and, where a producer needs de-duplication, the JetStream message id.
 */
import { z } from 'zod';
import { Locale } from './scalars.js';

export const HeaderNames = {
  Locale: 'locale',
  CorrelationId: 'correlation-id',
  Traceparent: 'traceparent',
  ContractVersion: 'contract-version',
  // JetStream reads this exact spelling to drop duplicates inside the stream's duplicate window.
  MsgId: 'Nats-Msg-Id',
} as const;

export type HeaderName = (typeof HeaderNames)[keyof typeof HeaderNames];

/**
 * The first value of each known header. Loose, not strict: NATS and JetStream add headers of
 * their own (`Nats-Expected-*`, `Nats-Sequence` on republish, ...) that must not fail a message.
 * Every header is optional because a bare `nats pub` has none and is still a valid producer.
 */
export const MessageHeaders = z
  .looseObject({
    [HeaderNames.Locale]: Locale.optional(),
    [HeaderNames.CorrelationId]: z.string().min(1).max(128).optional(),
    [HeaderNames.Traceparent]: z
      .string()
      .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, 'Expected a W3C traceparent')
      .optional()
      .describe('W3C trace context: 00-<trace-id>-<parent-id>-<flags>'),
    [HeaderNames.ContractVersion]: z
      .string()
      .regex(/^\d+$/, 'Expected a major version number')
      .optional()
      .describe('Major version of the payload contract; absent means the current one'),
    [HeaderNames.MsgId]: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe('De-duplication id: a deterministic id for scheduler ticks, the requestId for client retries'),
  })
  .describe('Headers carried by every message');
export type MessageHeaders = z.infer<typeof MessageHeaders>;
