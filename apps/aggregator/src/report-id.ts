import { createHash } from 'node:crypto';

/**
 * A report's id. The requester's `requestId` when given, so a retried request is the same report.
 * Otherwise it is derived from the message itself (its stream sequence and correlation id), never
 * random: a redelivery of the same request after a crash must name the same report, not start a second one.
 */
export function reportIdFor(requestId: string | undefined, message: { streamSeq: number; correlationId: string | undefined; today: string }): string {
  if (requestId) return requestId;
  const tag = createHash('sha256').update(message.correlationId ?? '').digest('hex').slice(0, 8);
  return `${message.today}-${message.streamSeq}-${tag}`;
}
