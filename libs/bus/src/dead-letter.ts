/**
 * Dead letters: a message taken out of circulation is republished on `dlq.<subject>` with its
 * original bytes untouched and its original headers, plus `dlq-*` headers saying why. Keeping
 * the bytes verbatim (not wrapped in JSON) means a replay is a plain republish of the body.
 */
import { DeadLetter, DeadLetterHeaders, dlqSubject, HeaderNames, type DeadLetterReason } from '@hotrepos/contracts';
import type { Delivery, PublishAck, ReceivedHeaders, Transport } from './transport.js';

export interface DeadLetterInput {
  readonly delivery: Delivery;
  readonly reason: DeadLetterReason;
  readonly error: string;
  readonly service: string;
  readonly now: Date;
}

/** Header values cannot hold line breaks, and an error report should not dwarf the message. */
function headerSafe(text: string, max = 2_000): string {
  const oneLine = text.replace(/[\r\n]+/g, ' | ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export function deadLetterHeaders({ delivery, reason, error, service, now }: DeadLetterInput): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(delivery.headers)) {
    // The original de-duplication id must not de-duplicate the dead letter against other dead letters.
    if (name.toLowerCase() === HeaderNames.MsgId.toLowerCase()) headers[DeadLetterHeaders.OriginalMsgId] = values[0] ?? '';
    else if (values[0] !== undefined) headers[name] = values[0];
  }
  Object.assign(headers, {
    [DeadLetterHeaders.Reason]: reason,
    [DeadLetterHeaders.Error]: headerSafe(error),
    [DeadLetterHeaders.Subject]: delivery.subject,
    [DeadLetterHeaders.Stream]: delivery.stream,
    [DeadLetterHeaders.StreamSeq]: String(delivery.streamSeq),
    [DeadLetterHeaders.Consumer]: delivery.consumer,
    [DeadLetterHeaders.Deliveries]: String(delivery.deliveryCount),
    [DeadLetterHeaders.Service]: service,
    [DeadLetterHeaders.DeadAt]: now.toISOString(),
  });
  return headers;
}

export function publishDeadLetter(transport: Transport, input: DeadLetterInput): Promise<PublishAck> {
  const { delivery } = input;
  return transport.publish(dlqSubject(delivery.subject), delivery.data, {
    headers: deadLetterHeaders(input),
    // A redelivery of the same message (say, after a crash between dead-lettering and acking) is one dead letter.
    msgId: `dlq:${delivery.stream}:${delivery.consumer}:${delivery.streamSeq}`,
  });
}

/** Reads a message from a `dlq.>` subject back into its documented shape. */
export function decodeDeadLetter(data: Uint8Array, headers: ReceivedHeaders): DeadLetter {
  const one = (name: string) => headers[name]?.[0];
  const original: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    // The dead letter's own Nats-Msg-Id is not the original's; the original's travels as dlq-original-msg-id.
    if (name.startsWith('dlq-') || name.toLowerCase() === HeaderNames.MsgId.toLowerCase()) continue;
    original[name] = [...values];
  }
  const originalMsgId = headers[DeadLetterHeaders.OriginalMsgId];
  if (originalMsgId) original[HeaderNames.MsgId] = [...originalMsgId];
  const seq = one(DeadLetterHeaders.StreamSeq);
  return DeadLetter.parse({
    subject: one(DeadLetterHeaders.Subject),
    reason: one(DeadLetterHeaders.Reason),
    error: one(DeadLetterHeaders.Error) ?? '',
    data: Buffer.from(data).toString('base64'),
    headers: original,
    deliveries: Number(one(DeadLetterHeaders.Deliveries) ?? 1),
    stream: one(DeadLetterHeaders.Stream),
    streamSeq: seq === undefined ? undefined : Number(seq),
    consumer: one(DeadLetterHeaders.Consumer),
    deadAt: one(DeadLetterHeaders.DeadAt),
  });
}
