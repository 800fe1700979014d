/**
 * Who asked to be told about a report, kept apart from the report status: anyone may watch a
 * status key, but requesters' e-mail addresses are nobody else's business.
 */
import type { KeyValueStore, Transport } from '@hotrepos/bus';
import { Email, Locale } from '@hotrepos/contracts';
import { z } from 'zod';

export const NOTIFY_BUCKET = 'report-notify';
const NOTIFY_TTL_MS = 30 * 24 * 60 * 60_000;

export const NotifyRecord = z.strictObject({ notify: z.array(Email).min(1), locale: Locale.optional() });
export type NotifyRecord = z.infer<typeof NotifyRecord>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class NotifyStore {
  private constructor(private readonly kv: KeyValueStore) {}

  static async open(transport: Transport): Promise<NotifyStore> {
    return new NotifyStore(await transport.keyValue(NOTIFY_BUCKET, { ttlMs: NOTIFY_TTL_MS }));
  }

  async save(reportId: string, record: NotifyRecord): Promise<void> {
    await this.kv.put(reportId, encoder.encode(JSON.stringify(NotifyRecord.parse(record))));
  }

  async get(reportId: string): Promise<NotifyRecord | undefined> {
    const entry = await this.kv.get(reportId);
    return entry ? NotifyRecord.parse(JSON.parse(decoder.decode(entry.value))) : undefined;
  }
}
