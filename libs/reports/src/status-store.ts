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

/** A status as stored, with the revision a compare-and-set against it needs. */
export interface StatusEntry {
  readonly status: ReportStatus;
  readonly revision: number;
}

export interface UpdateOptions {
  /** Conflicts tolerated before giving up with `StatusConflictError`. */
  readonly maxAttempts?: number;
  /**
   * The entry the caller read (or wrote) last: the first attempt starts from it instead of reading
   * the key again. A stale one costs nothing but the retry the conflict leads to.
   */
  readonly from?: StatusEntry;
}

export class ReportStatusStore {
  private constructor(private readonly kv: KeyValueStore) {}

  static async open(transport: Transport): Promise<ReportStatusStore> {
    return new ReportStatusStore(await transport.keyValue(Buckets.ReportStatus, { history: 5, ttlMs: STATUS_TTL_MS }));
  }

  async get(reportId: string): Promise<ReportStatus | undefined> {
    return (await this.read(reportId))?.status;
  }

  /** The status with its revision, for an `update` that starts from it. */
  async read(reportId: string): Promise<StatusEntry | undefined> {
    const entry = await this.kv.get(reportId);
    return entry ? { status: decode(entry.value), revision: entry.revision } : undefined;
  }

  /** Creates the status; false when the report already exists (a repeated request). */
  async create(status: ReportStatus): Promise<boolean> {
    return (await this.createEntry(status)) !== undefined;
  }

  /** Creates the status and returns it as stored; undefined when the report already exists. */
  async createEntry(status: ReportStatus): Promise<StatusEntry | undefined> {
    try {
      return { status, revision: await this.kv.create(status.reportId, encode(status)) };
    } catch (err) {
      if (err instanceof CasConflictError) return undefined;
      throw err;
    }
  }

  /**
   * Applies `change` to the latest stored status and writes it if nobody wrote in between,
   * retrying on conflict. Returns the status as stored afterwards, or undefined if there is none.
   */
  async update(reportId: string, change: StatusUpdate, opts: UpdateOptions = {}): Promise<ReportStatus | undefined> {
    return (await this.updateEntry(reportId, change, opts))?.status;
  }

  /**
   * One compare-and-set from `from`, for a write that may be lost: false when the stored status
   * changed since `from` was read (or `change` had nothing to write), true when written.
   */
  async tryUpdate(reportId: string, change: StatusUpdate, from: StatusEntry): Promise<boolean> {
    const next = change(from.status);
    if (!next) return false;
    try {
      await this.kv.update(reportId, encode(next), from.revision);
      return true;
    } catch (err) {
      if (err instanceof CasConflictError) return false;
      throw err;
    }
  }

  /** `update`, returning the revision as well. */
  async updateEntry(reportId: string, change: StatusUpdate, { maxAttempts = 20, from }: UpdateOptions = {}): Promise<StatusEntry | undefined> {
    let known = from;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const given = known;
      known = undefined;
      const entry = given ?? (await this.read(reportId));
      if (!entry) return undefined;
      const next = change(entry.status);
      // Nothing to change is only decided on a fresh read: the caller's entry may be stale. That
      // re-read is no conflict, so it does not use up an attempt.
      if (!next && given) {
        attempt--;
        continue;
      }
      if (!next) return entry;
      try {
        return { status: next, revision: await this.kv.update(reportId, encode(next), entry.revision) };
      } catch (err) {
        if (!(err instanceof CasConflictError)) throw err;
      }
    }
    throw new StatusConflictError(reportId, maxAttempts);
  }

  /** Every status that reads as one; an entry that does not (a hand edit, a newer version's field) is left out, not fatal. */
  async list(): Promise<ReportStatus[]> {
    // nats.js repeats a key that changes during the scan, so a running report would be listed twice.
    const keys = [...new Set(await this.kv.keys())];
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
