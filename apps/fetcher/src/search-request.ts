/** The one request the fetcher makes: a page of repositories created since a day, most stars first. */
import type { ReportFetch } from '@hotrepos/contracts';

export type SearchQuery = Pick<ReportFetch, 'since' | 'page' | 'perPage'>;

/** The path under `apiUrl`, which may carry a prefix of its own (GitHub Enterprise: `/api/v3`). */
export function searchPath(apiUrl: URL, { since, page, perPage }: SearchQuery): string {
  const query = new URLSearchParams({ q: `created:>=${since}`, sort: 'stars', order: 'desc', per_page: String(perPage), page: String(page) });
  return `${apiUrl.pathname.replace(/\/+$/, '')}/search/repositories?${query}`;
}

export function searchHeaders(token: string | undefined): Record<string, string> {
  return {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    // GitHub refuses requests without a User-Agent.
    'user-agent': 'hotrepos',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}
