/** Maps the caller's scope onto message headers and back. */
import { HeaderNames } from '@hotrepos/contracts';
import { childTraceparent, parseTraceparent, scopeWith, type Scope } from '@hotrepos/scope';
import { randomUUID } from 'node:crypto';
import type { ReceivedHeaders } from './transport.js';

export const USER_ID_HEADER = 'user-id';

/**
 * Headers for an outgoing message: the current scope overlaid by `explicit`, a correlation id
 * when the chain has none yet, and a child span of the current trace.
 */
export function scopeHeaders(explicit: Scope = {}): Record<string, string> {
  const scope = scopeWith(explicit);
  const headers: Record<string, string> = {
    [HeaderNames.CorrelationId]: scope.correlationId ?? randomUUID(),
    [HeaderNames.Traceparent]: childTraceparent(scope.traceparent),
  };
  if (scope.locale) headers[HeaderNames.Locale] = scope.locale;
  if (scope.userId) headers[USER_ID_HEADER] = scope.userId;
  return headers;
}

export function firstHeader(headers: ReceivedHeaders, name: string): string | undefined {
  const direct = headers[name]?.[0];
  if (direct !== undefined) return direct;
  // Header names are case-insensitive on the wire; `nats pub -H Locale:de` must still count.
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
  return key ? headers[key]?.[0] : undefined;
}

/** The scope a handler runs in, restored from the message that started it. */
export function scopeFromHeaders(headers: ReceivedHeaders): Scope {
  const traceparent = firstHeader(headers, HeaderNames.Traceparent);
  const scope: { -readonly [K in keyof Scope]: Scope[K] } = {};
  const locale = firstHeader(headers, HeaderNames.Locale);
  const correlationId = firstHeader(headers, HeaderNames.CorrelationId);
  const userId = firstHeader(headers, USER_ID_HEADER);
  if (locale) scope.locale = locale;
  if (correlationId) scope.correlationId = correlationId;
  if (parseTraceparent(traceparent)) scope.traceparent = traceparent;
  if (userId) scope.userId = userId;
  return scope;
}
