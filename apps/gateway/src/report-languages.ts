/**
 * A report's CSV read back as language groups, for the page's result table. Both importer formats:
 * `grouped` (no header, a row per language: `language,fullName,...`) and `detailed` (a
 * `language,name,stars,url` header, a row per repository, grouped here in order of appearance).
 * Cells keep the importer's formula guard (a leading `'`), as in the file people download.
 */
import { parse } from 'csv-parse/sync';

export interface LanguageRepos {
  readonly language: string;
  readonly count: number;
  readonly repos: readonly string[];
}

const DETAILED_HEADER = ['language', 'name', 'stars', 'url'];

export function languagesFromCsv(csv: Uint8Array): LanguageRepos[] {
  const rows = parse(Buffer.from(csv.buffer, csv.byteOffset, csv.byteLength), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  const [first, ...rest] = rows;
  if (!first) return [];
  if (first.length === DETAILED_HEADER.length && first.every((cell, i) => cell === DETAILED_HEADER[i])) return groupDetailed(rest);
  return rows.map(([language = '', ...repos]) => ({ language, count: repos.length, repos }));
}

function groupDetailed(rows: readonly string[][]): LanguageRepos[] {
  const groups = new Map<string, string[]>();
  for (const [language = '', name = ''] of rows) {
    const repos = groups.get(language) ?? [];
    repos.push(name);
    groups.set(language, repos);
  }
  return [...groups].map(([language, repos]) => ({ language, count: repos.length, repos }));
}
