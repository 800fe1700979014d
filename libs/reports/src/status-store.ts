/**
 * Report status in the `report-status` KV bucket: a whole snapshot per report, changed only by
 * compare-and-set so that replicas of any service can update it concurrently without losing a write.
 */
import { CasConflictError, type KeyValueStore, type KvWatch, type Transport } from '@hotrepos/bus';
import { Buckets, ReportStatus } from '@hotrepos/contracts';

/** A report's status is kept 30 days, like its file's announcement; the bucket would otherwise grow forever. */
const STATUS_TTL_MS = 30 * 24 * 60 * 60_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class StatusConflictError extends Error {
  override readonly name = 'StatusConflictError';
  readonly code = 'STATUS_CONFLICT';
  constructor(
    readonly reportId: string,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(`status of report ${reportId} kept changing under ${attempts} attempts to update it`, options);
  }
}

/** What an update decides: the next status, or `undefined` to leave the stored one as it is. */
export type StatusUpdate = (current: ReportStatus) => ReportStatus | undefined;

export class ReportStatusStore {
  private constructor(private readonly kv: KeyValueStore) {}

  static async open(transport: Transport): Promise<ReportStatusStore> {
    return new ReportStatusStore(await transport.keyValue(Buckets.ReportStatus, { history: 5, ttlMs: STATUS_TTL_MS }));
  }

  async get(reportId: string): Promise<ReportStatus | undefined> {
    const entry = await this.kv.get(reportId);
    return entry ? decode(entry.value) : undefined;
  }

  /** Creates the status; false when the report already exists (a repeated request). */
  async create(status: ReportStatus): Promise<boolean> {
    try {
      await this.kv.create(status.reportId, encode(status));
      return true;
    } catch (err) {
      if (err instanceof CasConflictError) return false;
      throw err;
    }
  }

  /**
   * Applies `change` to the latest stored status and writes it if nobody wrote in between,
   * retrying on conflict. Returns the status as stored afterwards, or undefined if there is none.
   */
  async update(reportId: string, change: StatusUpdate, maxAttempts = 20): Promise<ReportStatus | undefined> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const entry = await this.kv.get(reportId);
      if (!entry) return undefined;
      const current = decode(entry.value);
      const next = change(current);
      if (!next) return current;
      try {
        await this.kv.update(reportId, encode(next), entry.revision);
        return next;
      } catch (err) {
        if (!(err instanceof CasConflictError)) throw err;
      }
    }
    throw new StatusConflictError(reportId, maxAttempts);
  }

  /** Every status that reads as one; an entry that does not (a hand edit, a newer version's field) is left out, not fatal. */
  async list(): Promise<ReportStatus[]> {
    const keys = await this.kv.keys();
    const all = await Promise.all(keys.map((k) => this.get(k).catch(() => undefined)));
    return all.filter((s): s is ReportStatus => s !== undefined);
  }

  /** The current status (if any) and every change after it. */
  async watch(reportId: string): Promise<AsyncIterable<ReportStatus> & { stop(): void }> {
    const watch: KvWatch = await this.kv.watch({ key: reportId });
    return {
      stop: () => watch.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const entry of watch) if (entry.operation === 'PUT') yield decode(entry.value);
      },
    };
  }
}

function encode(status: ReportStatus): Uint8Array {
  return encoder.encode(JSON.stringify(ReportStatus.parse(status)));
}

function decode(bytes: Uint8Array): ReportStatus {
  return ReportStatus.parse(JSON.parse(decoder.decode(bytes)));
}

export function isFinal(status: ReportStatus): boolean {
  return status.state === 'ready' || status.state === 'failed';
}
