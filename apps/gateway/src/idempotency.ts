/**
 * `Idempotency-Key` → the report's requestId: the same key always names the same report. The key
 * is always hashed, never used as it is: request ids are one namespace shared with every producer,
 * and a client must not be able to take an id another one will use (the scheduler's are
 * predictable, `<schedule>-<tick>`), nor see its own key in other people's links.
 *
 * A key also remembers the request it was first sent with, for a day (as Stripe's keys do): sent
 * again with another body it is refused, since a client reusing a key by mistake would otherwise be
 * handed a report it did not ask for. The memory is a KV bucket shared by every gateway replica.
 */
import { CasConflictError, type KeyValueStore, type Transport } from '@hotrepos/bus';
import { createHash } from 'node:crypto';
import { IdempotencyKeyReusedError } from './http-errors.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_BUCKET = 'gateway-idempotency';
const REMEMBERED_MS = 24 * 60 * 60_000;

export function requestIdForKey(key: string | string[] | undefined): string | undefined {
  const value = Array.isArray(key) ? key[0] : key;
  if (value === undefined || value === '') return undefined;
  return `idem-${createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 40)}`;
}

/** The fields a client sets, in a fixed order, so the same request always hashes the same. */
export interface RequestFields {
  readonly period: string;
  readonly refDate?: string | undefined;
  readonly notify?: readonly string[] | undefined;
  readonly locale?: string | undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class IdempotencyKeys {
  private constructor(private readonly kv: KeyValueStore) {}

  static async open(transport: Transport): Promise<IdempotencyKeys> {
    return new IdempotencyKeys(await transport.keyValue(IDEMPOTENCY_BUCKET, { ttlMs: REMEMBERED_MS }));
  }

  /** Remembers the request a key's requestId was first sent with; throws `IdempotencyKeyReusedError` for another one. */
  async claim(requestId: string, request: RequestFields): Promise<void> {
    const { period, refDate = null, notify, locale } = request;
    // The same request however it is spelled: addresses in any order or twice, a language tag in any case (BCP 47 ignores it).
    // A missing refDate stays apart from today's date: it means "the day it is processed".
    const recipients = notify ? [...new Set(notify)].sort() : null;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([period, refDate, recipients, locale?.toLowerCase() ?? null]))
      .digest('hex');
    try {
      await this.kv.create(requestId, encoder.encode(fingerprint));
      return;
    } catch (err) {
      if (!(err instanceof CasConflictError)) throw err;
    }
    const first = await this.kv.get(requestId);
    // Gone between the two calls only if it expired just then: the key is free again, and this request its first.
    if (first && decoder.decode(first.value) !== fingerprint) throw new IdempotencyKeyReusedError();
  }
}
