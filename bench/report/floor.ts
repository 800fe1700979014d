/**
 * The raw floor: a report's work done the plainest way, in one process with no broker: the five
 * pages fetched at once with undici, trimmed to `Repo`, grouped by language, written as CSV
 * atomically. What the pipeline adds on top of this is its price.
 *
 * The body is read with the fetcher's reader (`@hotrepos/json-items`). The rest is a copy of the
 * few lines that matter in apps/fetcher (search-request.ts: path and headers), apps/aggregator
 * (group.ts) and apps/importer (report-csv.ts options, atomic-write.ts), not an import: the lint
 * rules let nothing import an app, and the floor must stay free of what it measures the pipeline
 * against (contract checks, the bus and its AsyncLocalStorage).
 */
import type { LanguageGroup, Repo } from '@hotrepos/contracts';
import { readJsonWithItems } from '@hotrepos/json-items';
import { stringify } from 'csv-stringify/sync';
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Pool } from 'undici';
import type { RunReport } from './load.js';

export const PAGES = 5;
const PER_PAGE = 100;
const NO_LANGUAGE = 'No language';
const HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'hotrepos' };
const CSV_OPTIONS = { record_delimiter: '\r\n', quote_record_delimiter: true, escape_formulas: true };

interface SearchItem {
  readonly id: number;
  readonly full_name: string;
  readonly html_url: string;
  readonly description: string | null;
  readonly language: string | null;
  readonly stargazers_count: number;
  readonly forks_count: number;
  readonly created_at: string;
}

export interface Floor {
  readonly run: RunReport;
  close(): Promise<void>;
}

/** `connections`: one per page in flight, as a fetcher's pool has one per concurrent job. */
export function startFloor(apiUrl: string, since: string, mediaRoot: string, connections: number): Floor {
  const search = searchPages(apiUrl, connections);
  return {
    async run(reportId) {
      const pages = await Promise.all(Array.from({ length: PAGES }, (_, i) => search.page(since, i + 1)));
      await writeReport(mediaRoot, reportId, since, groupByLanguage(pages));
    },
    close: () => search.close(),
  };
}

export interface SearchPages {
  page(since: string, page: number): Promise<Repo[]>;
  close(): Promise<void>;
}

/** The fetch: one page of the search, read and trimmed as the fetcher reads it. */
export function searchPages(apiUrl: string, connections: number): SearchPages {
  const pool = new Pool(apiUrl, { connections, keepAliveTimeout: 30_000 });
  return {
    async page(since, page) {
      const query = new URLSearchParams({ q: `created:>=${since}`, sort: 'stars', order: 'desc', per_page: String(PER_PAGE), page: String(page) });
      const { statusCode, body } = await pool.request({ method: 'GET', path: `/search/repositories?${query}`, headers: HEADERS });
      if (statusCode !== 200) throw new Error(`fixture answered ${statusCode} for page ${page}`);
      // Read as the fetcher reads it (item by item from the chunks, not `body.json()`), so the floor's fetch is the same fetch.
      const { items } = await readJsonWithItems(body, 'items', (value): Repo => {
        const i = value as SearchItem;
        return { id: i.id, fullName: i.full_name, htmlUrl: i.html_url, description: i.description, language: i.language, stars: i.stargazers_count, forks: i.forks_count, createdAt: i.created_at };
      });
      return items;
    },
    close: () => pool.close(),
  };
}

/** The import: the grouped CSV, written atomically where the importer puts it. */
export async function writeReport(mediaRoot: string, reportId: string, since: string, groups: readonly LanguageGroup[]): Promise<void> {
  const rows = groups.map((g) => [g.language, ...g.repos.map((r) => r.fullName)]);
  await writeFileAtomic(join(mediaRoot, reportId, `github-hot-repos-${since}.csv`), Buffer.from(stringify(rows, CSV_OPTIONS), 'utf8'));
}

/** Pages in page order; a repository seen twice keeps its first appearance. */
export function groupByLanguage(pages: readonly Repo[][]): LanguageGroup[] {
  const byId = new Map<number, Repo>();
  for (const repo of pages.flat()) if (!byId.has(repo.id)) byId.set(repo.id, repo);
  const groups = new Map<string, Repo[]>();
  for (const repo of byId.values()) {
    const language = repo.language ?? NO_LANGUAGE;
    let list = groups.get(language);
    if (!list) groups.set(language, (list = []));
    list.push(repo);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === NO_LANGUAGE ? 1 : b === NO_LANGUAGE ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([language, repos]) => ({ language, repos: repos.sort((x, y) => y.stars - x.stars || x.id - y.id) }));
}

async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = `${path}.${randomUUID()}.tmp`;
  const file = await open(temp, 'wx');
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
