/**
 * What the report must contain, computed independently of the services from the fixture's data:
 * the first `pages × perPage` repositories by stars, one row per language sorted by name (the
 * no-language bucket last), names by stars.
 */
import { fixtureRepositories } from '@hotrepos/github-fixture';

export function expectedRows(since: string, count = 500): string[][] {
  const byLanguage = new Map<string, { name: string; stars: number; id: number }[]>();
  for (const repo of fixtureRepositories(since).slice(0, count)) {
    const language = repo.language ?? 'No language';
    const list = byLanguage.get(language) ?? [];
    list.push({ name: repo.full_name, stars: repo.stargazers_count, id: repo.id });
    byLanguage.set(language, list);
  }
  const languages = [...byLanguage.keys()].filter((l) => l !== 'No language').sort();
  if (byLanguage.has('No language')) languages.push('No language');
  return languages.map((language) => [
    language,
    ...byLanguage
      .get(language)!
      .sort((a, b) => b.stars - a.stars || a.id - b.id)
      .map((r) => r.name),
  ]);
}
