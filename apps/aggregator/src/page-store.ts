/**
 * Fetched pages, kept until the report is joined. One key per page written with create-if-absent,
 * so a page delivered twice (or by two fetchers) is stored, and so counted, once.
 *
 * A page this replica stored itself is also remembered here, as the very bytes it wrote: the key
 * exists and holds exactly those bytes (pages are created once and never changed), so counting
 * and joining need not read it back. Only pages stored elsewhere (another replica, or this one
 * before a restart) are read from the bucket, which stays the one source of truth.
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

export interface StoredPages {
  readonly count: number;
  pages(): ReportPage[];
}

export class PageStore {
  /** reportId → page number → the bytes this replica created under that page's key. */
  readonly #written = new Map<string, Map<number, Uint8Array>>();
  #writtenBytes = 0;

  private constructor(private readonly kv: KeyValueStore) {}

  static async open(transport: Transport): Promise<PageStore> {
    return new PageStore(await transport.keyValue(PAGES_BUCKET, { ttlMs: PAGES_TTL_MS }));
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
    const written = this.#written.get(reportId);
    const bytes = await Promise.all(
      Array.from({ length: pagesTotal }, async (_, i) => written?.get(i + 1) ?? (await this.kv.get(`${reportId}.${i + 1}`))?.value),
    );
    const present = bytes.filter((b): b is Uint8Array => b !== undefined);
    return { count: present.length, pages: () => present.map((b) => JSON.parse(decoder.decode(b)) as ReportPage) };
  }

  /** The report is joined or finished: its pages are not needed here any more. */
  forget(reportId: string): void {
    const pages = this.#written.get(reportId);
    if (!pages) return;
    for (const bytes of pages.values()) this.#writtenBytes -= bytes.byteLength;
    this.#written.delete(reportId);
  }

  #remember(reportId: string, page: number, bytes: Uint8Array): void {
    let pages = this.#written.get(reportId);
    if (!pages) this.#written.set(reportId, (pages = new Map()));
    // Only a key that expired and was created again is remembered twice.
    this.#writtenBytes += bytes.byteLength - (pages.get(page)?.byteLength ?? 0);
    pages.set(page, bytes);
    for (const oldest of this.#written.keys()) {
      if (this.#writtenBytes <= MAX_REMEMBERED_BYTES || oldest === reportId) break;
      this.forget(oldest);
    }
  }
}
