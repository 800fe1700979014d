/**
 * Fetched pages, kept until the report is joined. One key per page written with create-if-absent,
 * so a page delivered twice (or by two fetchers) is stored, and so counted, once.
 */
import { CasConflictError, type KeyValueStore, type Transport } from '@hotrepos/bus';
import { ReportPage } from '@hotrepos/contracts';

export const PAGES_BUCKET = 'report-pages';
/** Pages are only needed until their report is joined; a day covers any deadline. */
const PAGES_TTL_MS = 24 * 60 * 60_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

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

  async count(reportId: string): Promise<number> {
    return (await this.kv.keys(`${reportId}.*`)).length;
  }

  async all(reportId: string): Promise<ReportPage[]> {
    const keys = await this.kv.keys(`${reportId}.*`);
    const entries = await Promise.all(keys.map((k) => this.kv.get(k)));
    return entries.flatMap((e) => (e ? [ReportPage.parse(JSON.parse(decoder.decode(e.value)))] : []));
  }
}
