/**
 * GitHub's search result, checked field by field against the `Repo` contract and trimmed to it.
 * Only the fields a report uses are read; GitHub's ~5 KB items carry a hundred more, ignored here.
 */
import { MAX_PER_PAGE, Repo, type ReportPage } from '@hotrepos/contracts';
import { z } from 'zod';
import { GithubMalformedResponseError } from './github-errors.js';

const SearchItem = z
  .object({
    id: Repo.shape.id,
    full_name: Repo.shape.fullName,
    html_url: Repo.shape.htmlUrl,
    description: Repo.shape.description,
    language: Repo.shape.language,
    stargazers_count: Repo.shape.stars,
    forks_count: Repo.shape.forks,
    created_at: Repo.shape.createdAt,
  })
  .transform(
    (item): Repo => ({
      id: item.id,
      fullName: item.full_name,
      htmlUrl: item.html_url,
      description: item.description,
      language: item.language,
      stars: item.stargazers_count,
      forks: item.forks_count,
      createdAt: item.created_at,
    }),
  );

const SearchResponse = z.object({
  total_count: z.int().nonnegative(),
  incomplete_results: z.boolean(),
  items: z.array(SearchItem).max(MAX_PER_PAGE),
});

export type SearchPage = Pick<ReportPage, 'totalCount' | 'incompleteResults' | 'items'>;

export function parseSearchPage(body: string): SearchPage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new GithubMalformedResponseError(`GitHub sent a search result that is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = SearchResponse.safeParse(json);
  if (!parsed.success) {
    throw new GithubMalformedResponseError(`GitHub sent an unexpected search result: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return { totalCount: parsed.data.total_count, incompleteResults: parsed.data.incomplete_results, items: parsed.data.items };
}
