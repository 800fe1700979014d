/**
 * `Idempotency-Key` → the report's requestId: the same key always names the same report. A key
 * that is already a valid RequestId is used as it is; any other key (spaces, slashes, too long)
 * is hashed into one, so it still maps to one stable id.
 */
import { createHash } from 'node:crypto';
import { RequestId } from '@hotrepos/contracts';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export function requestIdForKey(key: string | string[] | undefined): string | undefined {
  const value = Array.isArray(key) ? key[0] : key;
  if (value === undefined || value === '') return undefined;
  if (RequestId.safeParse(value).success) return value;
  return `idem-${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 40)}`;
}
