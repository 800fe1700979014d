/**
 * `Idempotency-Key` → the report's requestId: the same key always names the same report. The key
 * is always hashed, never used as it is: request ids are one namespace shared with every producer,
 * and a client must not be able to take an id another one will use (the scheduler's are
 * predictable, `<schedule>-<tick>`), nor see its own key in other people's links.
 */
import { createHash } from 'node:crypto';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export function requestIdForKey(key: string | string[] | undefined): string | undefined {
  const value = Array.isArray(key) ? key[0] : key;
  if (value === undefined || value === '') return undefined;
  return `idem-${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 40)}`;
}
