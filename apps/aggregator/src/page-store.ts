/**
 * Fetched pages, kept until the report is joined. One key per page written with create-if-absent,
 * so a page delivered twice (or by two fetchers) is stored, and so counted, once.
 *
 * A page this replica stored itself is also remembered here, as the very bytes it wrote: the key
 * exists and holds exactly those bytes (pages are created once and never changed), so counting
 * and joining need not read it back. Only pages stored elsewhere (another replica, or this one
 * before a restart) are read from the bucket, which stays the one source of truth. A remembered
 * page is trusted only as long as the bucket keeps its copy (PAGES_TTL_MS): after that the key may
 * be gone, or created again for a report id used anew, so older bytes are dropped, never counted.
 */
import { CasConflictError, type KeyValueStore, type Transport } from '@hotrepos/bus';
import type { ReportPage } from '@hotrepos/contracts';

export const PAGES_BUCKET = 'report-pages';
/** Pages are only needed until their report is joined; a day covers any deadline. */
const PAGES_TTL_MS = 24 * 60 * 60_000;
/**
 * Bytes of pages remembered at once, about 100 reports of 5 pages; past it the reports first seen
 * longest ago are forgotten (and read from the bucket if they ever complete).
 */
const MAX_REMEMBERED_BYTES = 16 * 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface PageStoreOptions {
  /** The clock remembered pages are aged by (the aggregator's own, injectable). */
  readonly now?: () => Date;
}

interface Remembered {
  readonly bytes: Uint8Array;
  /** When the key was created, by `now`. */
  readonly at: number;
}

export interface StoredPages {
  readonly count: number;
  pages(): ReportPage[];
}

export class PageStore {
  /** reportId → page number → the bytes this replica created under that page's key, and when. */
  readonly #written = new Map<string, Map<number, Remembered>>();
  #writtenBytes = 0;

  private constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => Date,
  ) {}

  static async open(transport: Transport, { now = () => new Date() }: PageStoreOptions = {}): Promise<PageStore> {
    return new PageStore(await transport.keyValue(PAGES_BUCKET, { ttlMs: PAGES_TTL_MS }), now);
  }

  /** Bytes of pages remembered now (a measure for tests and metrics; expired pages still count until dropped). */
  get rememberedBytes(): number {
    return this.#writtenBytes;
  }

  /** How many pages of this report are remembered and still young enough to be trusted. */
  remembered(reportId: string): number {
    return this.#fresh(reportId)?.size ?? 0;
  }

  /** False when this page of this report was already stored. */
  async save(page: ReportPage): Promise<boolean> {
    const bytes = encoder.encode(JSON.stringify(page));
    try {
      await this.kv.create(`${page.reportId}.${page.page}`, bytes);
    } catch (err) {
      if (err instanceof CasConflictError) return false;
      throw err;
    }
    this.#remember(page.reportId, page.page, bytes);
    return true;
  }

  /**
   * What is stored of a report: how many pages, and the pages themselves, parsed only when asked
   * for (the join). Pages are looked up by key (`<reportId>.1` … `<reportId>.<pagesTotal>`), not listed: a
   * key listing makes the broker create a consumer every time, which cost more than the rest of a
   * page's handling. Not validated again: only `save` writes here, with pages the bus has validated.
   */
  async stored(reportId: string, pagesTotal: number): Promise<StoredPages> {
    const written = this.#fresh(reportId);
    const bytes = await Promise.all(
      Array.from({ length: pagesTotal }, async (_, i) => written?.get(i + 1)?.bytes ?? (await this.kv.get(`${reportId}.${i + 1}`))?.value),
    );
    const present = bytes.filter((b): b is Uint8Array => b !== undefined);
    return { count: present.length, pages: () => present.map((b) => JSON.parse(decoder.decode(b)) as ReportPage) };
  }

  /** The report is joined or finished: its pages are not needed here any more. */
  forget(reportId: string): void {
    const pages = this.#written.get(reportId);
    if (!pages) return;
    for (const { bytes } of pages.values()) this.#writtenBytes -= bytes.byteLength;
    this.#written.delete(reportId);
  }

  /** A report's remembered pages, without those older than the bucket's TTL (dropped here). */
  #fresh(reportId: string): Map<number, Remembered> | undefined {
    const pages = this.#written.get(reportId);
    if (!pages) return undefined;
    const oldest = this.now().getTime() - PAGES_TTL_MS;
    for (const [n, { bytes, at }] of pages) {
      if (at > oldest) continue;
      pages.delete(n);
      this.#writtenBytes -= bytes.byteLength;
    }
    if (pages.size > 0) return pages;
    this.#written.delete(reportId);
    return undefined;
  }

  #remember(reportId: string, page: number, bytes: Uint8Array): void {
    // Expired pages go first, so a report id used anew counts as first seen now.
    let pages = this.#fresh(reportId);
    if (!pages) this.#written.set(reportId, (pages = new Map()));
    // Only a key that expired and was created again is remembered twice.
    this.#writtenBytes += bytes.byteLength - (pages.get(page)?.bytes.byteLength ?? 0);
    pages.set(page, { bytes, at: this.now().getTime() });
    // Reports first seen longest ago come first: those whose pages expired are dropped on the way,
    // and while past the bound the rest are forgotten.
    for (const oldest of this.#written.keys()) {
      if (oldest === reportId) break;
      if (!this.#fresh(oldest)) continue;
      if (this.#writtenBytes <= MAX_REMEMBERED_BYTES) break;
      this.forget(oldest);
    }
  }
}
