/**
 * Serialised result pages. The benchmark asks for the same pages over and over, so a page is
 * built once from the items' cached JSON and then served as the same bytes.
 */
import { LruCache } from './lru-cache.js';
import { dataset } from './repositories.js';
import type { SearchRequest } from './search-request.js';

/** GitHub's search never returns more than this many results, whatever `total_count` says. */
export const SEARCH_RESULT_CAP = 1000;

const MAX_CACHED_PAGE_BYTES = 64 * 1024 * 1024;
const pages = new LruCache<string, Buffer>(MAX_CACHED_PAGE_BYTES, (body) => body.length);

export interface PageQuery extends SearchRequest {
  readonly totalCount: number | undefined;
  readonly overlap: number;
}

/** True when the page starts past the first 1000 results, which GitHub answers with 422. */
export function beyondCap({ page, perPage }: SearchRequest): boolean {
  return (page - 1) * perPage >= SEARCH_RESULT_CAP;
}

/** The last page number that still holds results, as GitHub's `link: rel="last"` counts it. */
export function lastPage(totalCount: number, perPage: number): number {
  return Math.max(1, Math.ceil(Math.min(totalCount, SEARCH_RESULT_CAP) / perPage));
}

export function totalCountOf(since: string, totalCount: number | undefined): number {
  return dataset(since, totalCount).totalCount;
}

export function pageBody(query: PageQuery): Buffer {
  const { since, order, perPage, page, totalCount, overlap } = query;
  const key = `${since}|${totalCount ?? ''}|${order}|${perPage}|${page}|${overlap}`;
  let body = pages.get(key);
  if (!body) {
    const data = dataset(since, totalCount);
    const start = Math.max(0, (page - 1) * perPage - (page > 1 ? overlap : 0));
    const end = Math.min(start + perPage, data.totalCount, SEARCH_RESULT_CAP);
    const items: string[] = [];
    for (let i = start; i < end; i++) items.push(data.json(order, i));
    body = Buffer.from(`{"total_count":${data.totalCount},"incomplete_results":false,"items":[${items.join(',')}]}`);
    pages.set(key, body);
  }
  return body;
}
