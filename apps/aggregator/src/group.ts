import type { LanguageGroup, Repo, ReportPage } from '@hotrepos/contracts';

/** The bucket for repositories GitHub gives no language: named, so they are neither dropped nor an empty cell. */
export const NO_LANGUAGE = 'No language';

/**
 * Joins pages into language groups. A repository can appear on two pages when its stars change
 * between page requests; it is counted once, with the data of its best-ranked appearance.
 * Groups are sorted by language name (the no-language bucket last), repositories by stars.
 */
export function groupByLanguage(pages: readonly ReportPage[]): LanguageGroup[] {
  const byId = new Map<number, Repo>();
  for (const page of [...pages].sort((a, b) => a.page - b.page)) {
    for (const repo of page.items) if (!byId.has(repo.id)) byId.set(repo.id, repo);
  }
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
