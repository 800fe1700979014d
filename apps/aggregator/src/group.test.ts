import type { Repo, ReportPage } from '@hotrepos/contracts';
import { describe, expect, it } from 'vitest';
import { groupByLanguage, NO_LANGUAGE } from './group.js';

const repo = (id: number, language: string | null, stars: number): Repo => ({
  id,
  fullName: `o/r${id}`,
  htmlUrl: `https://github.com/o/r${id}`,
  description: null,
  language,
  stars,
  forks: 0,
  createdAt: '2026-11-20T00:00:00Z',
});
const page = (n: number, items: Repo[]): ReportPage => ({ reportId: 'r', page: n, totalCount: 10, incompleteResults: false, items });

describe('groupByLanguage', () => {
  it('groups by language sorted by name, the no-language bucket last, repos by stars', () => {
    const groups = groupByLanguage([page(1, [repo(1, 'TypeScript', 90), repo(2, null, 80), repo(3, 'C++', 70)]), page(2, [repo(4, 'TypeScript', 95), repo(5, 'Ada', 10)])]);
    expect(groups.map((g) => g.language)).toEqual(['Ada', 'C++', 'TypeScript', NO_LANGUAGE]);
    expect(groups[2]!.repos.map((r) => r.id)).toEqual([4, 1]);
    expect(groups[3]!.repos.map((r) => r.id)).toEqual([2]);
  });

  it('counts a repository that appears on two pages once, keeping its best-ranked data', () => {
    const groups = groupByLanguage([page(2, [repo(1, 'Go', 50), repo(3, 'Go', 40)]), page(1, [repo(2, 'Go', 70), repo(1, 'Go', 60)])]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.repos.map((r) => [r.id, r.stars])).toEqual([
      [2, 70],
      [1, 60],
      [3, 40],
    ]);
  });

  it('gives no groups for no pages', () => {
    expect(groupByLanguage([])).toEqual([]);
  });
});
