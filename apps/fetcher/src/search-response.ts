/**
 * GitHub's search result, checked field by field against the `Repo` contract and trimmed to it.
 * Only the fields a report uses are read; GitHub's ~5 KB items carry a hundred more, ignored here.
 */
import { MAX_PER_PAGE, Repo, type ReportPage } from '@hotrepos/contracts';
import { JsonItemsReader, UnreadableJsonError, type JsonWithItems } from '@hotrepos/json-items';
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

// The items arrive one by one from the reader; the envelope holds what is left, with the items array emptied.
const SearchEnvelope = z.object({
  total_count: z.int().nonnegative(),
  incomplete_results: z.boolean(),
  items: z.tuple([]),
});

export type SearchPage = Pick<ReportPage, 'totalCount' | 'incompleteResults' | 'items'>;

/**
 * Reads a search result from the body's chunks as they arrive (see `@hotrepos/json-items` for why
 * not `body.text()`): each item is checked and trimmed as soon as it is complete, so the ~5 KB
 * GitHub objects are garbage at once and a page never sits in memory whole.
 */
export class SearchPageReader {
  readonly #reader = new JsonItemsReader('items', toRepo);

  /** Throws `GithubMalformedResponseError` once a complete item, or the end, shows the bytes are no search result. */
  push(chunk: Uint8Array): void {
    try {
      this.#reader.push(chunk);
    } catch (err) {
      throw malformed(err);
    }
  }

  end(): SearchPage {
    let result: JsonWithItems<Repo>;
    try {
      result = this.#reader.end();
    } catch (err) {
      throw malformed(err);
    }
    const envelope = SearchEnvelope.safeParse(result.envelope);
    if (!envelope.success) throw unexpected(envelope.error);
    return { totalCount: envelope.data.total_count, incompleteResults: envelope.data.incomplete_results, items: result.items };
  }
}

function toRepo(value: unknown, index: number): Repo {
  if (index >= MAX_PER_PAGE) throw new GithubMalformedResponseError(`GitHub sent more than ${MAX_PER_PAGE} items on one page`);
  const item = SearchItem.safeParse(value);
  if (!item.success) throw unexpected(item.error, ['items', index]);
  return item.data;
}

/** The reader's verdict in the fetcher's terms; anything else (an item's own verdict) passes unchanged. */
function malformed(err: unknown): unknown {
  if (!(err instanceof UnreadableJsonError)) return err;
  return new GithubMalformedResponseError(`GitHub sent a search result that cannot be read: ${err.message}`, { cause: err });
}

function unexpected(error: z.ZodError, path: PropertyKey[] = []): GithubMalformedResponseError {
  const located = path.length ? new z.ZodError(error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }))) : error;
  return new GithubMalformedResponseError(`GitHub sent an unexpected search result: ${z.prettifyError(located)}`, { cause: error });
}
