/**
 * Fetched pages, kept until the report is joined. One key per page written with create-if-absent,
 * so a page delivered twice (or by two fetchers) is stored, and so counted, once.
 */
import { CasConflictError, type KeyValueStore, type KvEntry, type Transport } from '@hotrepos/bus';
import type { ReportPage } from '@hotrepos/contracts';

export const PAGES_BUCKET = 'report-pages';
/** Pages are only needed until their report is joined; a day covers any deadline. */
const PAGES_TTL_MS = 24 * 60 * 60_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface StoredPages {
  readonly count: number;
  pages(): ReportPage[];
}

export class PageStore {
  private constructor(private readonly kv: KeyValueStore) {}

  static async open(transport: Transport): Promise<PageStore> {
    return new PageStore(await transport.keyValue(PAGES_BUCKET, { ttlMs: PAGES_TTL_MS }));
  }

  /** False when this page of this report was already stored. */
  async save(page: ReportPage): Promise<boolean> {
    try {
      await this.kv.create(`${page.reportId}.${page.page}`, encoder.encode(JSON.stringify(page)));
      return true;
    } catch (err) {
      if (err instanceof CasConflictError) return false;
      throw err;
    }
  }

  /**
   * What is stored of a report: how many pages, and the pages themselves, parsed only when asked
   * for (the join). Pages are read by key (`<reportId>.1` … `<reportId>.<pagesTotal>`), not listed: a
   * key listing makes the broker create a consumer every time, which cost more than the rest of a
   * page's handling. Not validated again: only `save` writes here, with pages the bus has validated.
   */
  async stored(reportId: string, pagesTotal: number): Promise<StoredPages> {
    const entries = await this.#entries(reportId, pagesTotal);
    return { count: entries.length, pages: () => entries.map((e) => JSON.parse(decoder.decode(e.value)) as ReportPage) };
  }

  async #entries(reportId: string, pagesTotal: number): Promise<KvEntry[]> {
    const entries = await Promise.all(Array.from({ length: pagesTotal }, (_, i) => this.kv.get(`${reportId}.${i + 1}`)));
    return entries.filter((e): e is KvEntry => e !== undefined);
  }
}
