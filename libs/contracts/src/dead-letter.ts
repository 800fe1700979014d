/**
 * Dead letters. On `dlq.<subject>` the message keeps its original bytes and headers, so that
 * replaying it is a plain republish of the body; why and where it died travels in `dlq-*`
 * headers. `DeadLetter` is the same message decoded into one object, for operators and tools.
 */
import { z } from 'zod';
import { MessageHeaders } from './headers.js';
import { IsoDateTime } from './scalars.js';

export const DeadLetterReason = z.enum([
  'invalid-json',
  'contract-violation',
  'unsupported-contract-version',
  'payload-too-large',
  'unrecoverable',
  'max-deliveries',
]);
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;

// One prefix for all of them, so the original headers can be told apart when decoding.
export const DeadLetterHeaders = {
  Reason: 'dlq-reason',
  Error: 'dlq-error',
  Subject: 'dlq-subject',
  Stream: 'dlq-stream',
  StreamSeq: 'dlq-stream-seq',
  Consumer: 'dlq-consumer',
  Deliveries: 'dlq-deliveries',
  Service: 'dlq-service',
  DeadAt: 'dlq-dead-at',
  // The original Nats-Msg-Id is moved here: left in place it would de-duplicate unrelated dead letters.
  OriginalMsgId: 'dlq-original-msg-id',
} as const;

export type DeadLetterHeaderName = (typeof DeadLetterHeaders)[keyof typeof DeadLetterHeaders];

const digits = z.string().regex(/^\d+$/, 'Expected a whole number');

/** The headers of a message on `dlq.<subject>`: the original ones plus the `dlq-*` ones. */
export const DeadLetterMessageHeaders = MessageHeaders.extend({
  [DeadLetterHeaders.Reason]: DeadLetterReason,
  [DeadLetterHeaders.Error]: z.string().optional().describe('One line; line breaks are replaced'),
  [DeadLetterHeaders.Subject]: z.string().min(1),
  [DeadLetterHeaders.Stream]: z.string().optional(),
  [DeadLetterHeaders.StreamSeq]: digits.optional(),
  [DeadLetterHeaders.Consumer]: z.string().optional(),
  [DeadLetterHeaders.Deliveries]: digits.optional(),
  [DeadLetterHeaders.Service]: z.string().optional().describe('The service that gave up on the message'),
  [DeadLetterHeaders.DeadAt]: IsoDateTime,
  [DeadLetterHeaders.OriginalMsgId]: z.string().optional(),
}).describe('Headers of a dead letter: the original headers plus why and where it died');
export type DeadLetterMessageHeaders = z.infer<typeof DeadLetterMessageHeaders>;

/** A dead letter decoded into one object: what an operator lists, inspects and replays. */
export const DeadLetter = z
  .strictObject({
    subject: z.string().min(1).describe('The subject the message was published on'),
    reason: DeadLetterReason,
    error: z.string().describe('What went wrong, readable by a person'),
    // base64 because the original bytes may not be JSON, or even UTF-8.
    data: z.base64().describe('The original payload bytes'),
    headers: z.record(z.string(), z.array(z.string())).describe('The original headers, every value of each'),
    deliveries: z.int().min(1),
    stream: z.string().min(1).optional(),
    streamSeq: z.int().positive().optional(),
    consumer: z.string().min(1).optional(),
    deadAt: IsoDateTime,
  })
  .describe('A message that could not be handled, with the reason');
export type DeadLetter = z.infer<typeof DeadLetter>;
