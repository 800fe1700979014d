/**
 * The fixture's data, usable without the server: tests compute what a report should contain from
 * the same function the server pages through.
 */
import { FixtureInputError } from './fixture-input-error.js';
import type { FullRepo } from './full-repo.js';
import { generateRepositories } from './generate-repositories.js';
import { LruCache } from './lru-cache.js';
import { parseDay } from './since-date.js';

export type SortOrder = 'desc' | 'asc';

export interface FixtureDataOptions {
  /** How many repositories match; drawn from the date (1200..5000) unless given. */
  readonly totalCount?: number;
  /** `desc` (most stars first) unless given; `asc` is the same list reversed. */
  readonly order?: SortOrder;
}

/** Keeps memory bounded when a long run asks for many days; one day is ~25 MB with its JSON. */
const MAX_CACHED_DAYS = 6;
export const MAX_TOTAL_COUNT = 100_000;

/** One day's repositories in both orders, with each item's JSON serialised once, on first use. */
export class Dataset {
  readonly desc: readonly FullRepo[];
  private ascCache: readonly FullRepo[] | undefined;
  private readonly descJson: (string | undefined)[] = [];
  private readonly ascJson: (string | undefined)[] = [];

  constructor(repos: FullRepo[]) {
    for (const repo of repos) deepFreeze(repo);
    this.desc = Object.freeze(repos);
  }

  get totalCount(): number {
    return this.desc.length;
  }

  list(order: SortOrder): readonly FullRepo[] {
    if (order === 'desc') return this.desc;
    this.ascCache ??= Object.freeze([...this.desc].reverse());
    return this.ascCache;
  }

  json(order: SortOrder, index: number): string {
    const cache = order === 'desc' ? this.descJson : this.ascJson;
    let text = cache[index];
    if (text === undefined) {
      text = JSON.stringify(this.list(order)[index]);
      cache[index] = text;
    }
    return text;
  }
}

const datasets = new LruCache<string, Dataset>(MAX_CACHED_DAYS);

export function dataset(since: string, totalCount: number | undefined): Dataset {
  const key = `${since}|${totalCount ?? ''}`;
  let data = datasets.get(key);
  if (!data) {
    const sinceMs = parseDay(since);
    if (sinceMs === undefined) throw new FixtureInputError(`since must be a real day as YYYY-MM-DD, got ${JSON.stringify(since)}`);
    if (totalCount !== undefined && !(Number.isInteger(totalCount) && totalCount >= 0 && totalCount <= MAX_TOTAL_COUNT)) {
      throw new FixtureInputError(`totalCount must be an integer in 0..${MAX_TOTAL_COUNT}, got ${totalCount}`);
    }
    data = new Dataset(generateRepositories(since, sinceMs, totalCount));
    datasets.set(key, data);
  }
  return data;
}

/**
 * Every repository created on or after `since` (YYYY-MM-DD), in the order the server pages through
 * them. All of them count in `total_count`, but only the first 1000 can be fetched, as on GitHub.
 * The list and its items are frozen: they are shared with the server's cache.
 */
export function fixtureRepositories(since: string, opts: FixtureDataOptions = {}): readonly FullRepo[] {
  return dataset(since, opts.totalCount).list(opts.order ?? 'desc');
}

function deepFreeze(value: object): void {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child);
  }
  Object.freeze(value);
}
