/**
 * Reads the query string of `GET /search/repositories` the way the fixture understands it:
 * only `created:>=DAY` / `created:>DAY` in `q` matters, and only `sort=stars` is supported.
 */
import type { SortOrder } from './repositories.js';
import { DAY_MS, formatDay, parseDay } from './since-date.js';

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

export interface SearchRequest {
  /** The first day included: the day in `q`, or the day after it for `created:>DAY`. */
  readonly since: string;
  readonly order: SortOrder;
  readonly perPage: number;
  readonly page: number;
}

export type ParsedSearch =
  | { readonly ok: true; readonly request: SearchRequest; readonly page: number; readonly qDay: string }
  /** `page` and `qDay` are still read so fault rules can match a request that fails validation. */
  | { readonly ok: false; readonly invalidField: 'q' | 'sort'; readonly page: number; readonly qDay: string | undefined };

const CREATED = /(?:^|\s)created:(>=?)(\d{4}-\d{2}-\d{2})(?=\s|$)/;

export function parseSearch(params: URLSearchParams): ParsedSearch {
  // GitHub is lenient with paging: nonsense falls back to the default, too big is clamped.
  const perPage = Math.min(MAX_PER_PAGE, positiveInteger(params.get('per_page')) ?? DEFAULT_PER_PAGE);
  const page = positiveInteger(params.get('page')) ?? 1;

  const created = CREATED.exec(params.get('q') ?? '');
  const qDay = created?.[2];
  const qDayMs = qDay === undefined ? undefined : parseDay(qDay);
  if (!created || qDay === undefined || qDayMs === undefined) return { ok: false, invalidField: 'q', page, qDay };

  // The data set only has star counts to sort by; any other sort would silently give wrong answers.
  const sort = params.get('sort');
  if (sort !== null && sort !== '' && sort !== 'stars') return { ok: false, invalidField: 'sort', page, qDay };
  // Like GitHub, `order` only means something next to `sort`.
  const order: SortOrder = sort === 'stars' && params.get('order') === 'asc' ? 'asc' : 'desc';

  const since = created[1] === '>' ? formatDay(qDayMs + DAY_MS) : qDay;
  return { ok: true, request: { since, order, perPage, page }, page, qDay };
}

function positiveInteger(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 ? value : undefined;
}
