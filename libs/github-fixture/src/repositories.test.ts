import { describe, expect, it } from 'vitest';
import { FixtureInputError, fixtureRepositories } from './index.js';

const SINCE = '2024-03-01';

describe('fixtureRepositories', () => {
  it('is deterministic per day and differs between days', () => {
    const again = JSON.stringify(fixtureRepositories(SINCE));
    expect(JSON.stringify(fixtureRepositories(SINCE))).toBe(again);
    expect(fixtureRepositories('2024-03-02')[0]).not.toEqual(fixtureRepositories(SINCE)[0]);
  });

  it('holds between 1200 and 5000 repositories unless told how many', () => {
    for (const day of ['2023-01-01', '2024-03-01', '2025-12-31']) {
      expect(fixtureRepositories(day).length).toBeGreaterThanOrEqual(1200);
      expect(fixtureRepositories(day).length).toBeLessThanOrEqual(5000);
    }
    expect(fixtureRepositories(SINCE, { totalCount: 45 })).toHaveLength(45);
    expect(fixtureRepositories(SINCE, { totalCount: 0 })).toEqual([]);
  });

  it('sorts by stars desc then id asc, with unique ids and names, all created on or after the day', () => {
    const repos = fixtureRepositories(SINCE);
    for (let i = 1; i < repos.length; i++) {
      const [a, b] = [repos[i - 1]!, repos[i]!];
      expect(a.stargazers_count > b.stargazers_count || (a.stargazers_count === b.stargazers_count && a.id < b.id)).toBe(true);
    }
    expect(new Set(repos.map((r) => r.id)).size).toBe(repos.length);
    expect(new Set(repos.map((r) => r.full_name)).size).toBe(repos.length);
    expect(repos.every((r) => r.created_at >= `${SINCE}T00:00:00Z` && r.updated_at >= r.created_at)).toBe(true);
  });

  it('gives asc as the same list reversed', () => {
    expect(fixtureRepositories(SINCE, { order: 'asc' })).toEqual([...fixtureRepositories(SINCE)].reverse());
  });

  it('makes full-size items, about 5 KB of JSON each', () => {
    const repos = fixtureRepositories(SINCE).slice(0, 1000);
    const average = repos.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / repos.length;
    expect(average).toBeGreaterThan(4000);
    expect(average).toBeLessThan(6000);
    const repo = repos[0]!;
    expect(repo.url).toBe(`https://api.github.com/repos/${repo.full_name}`);
    expect(repo.owner.url).toBe(`https://api.github.com/users/${repo.owner.login}`);
    expect(repo.watchers).toBe(repo.stargazers_count);
    expect(Object.keys(repo)).toHaveLength(80);
  });

  it('has the awkward values downstream code must survive', () => {
    const repos = fixtureRepositories(SINCE).slice(0, 1000);
    const descriptions = repos.map((r) => r.description);
    for (const lead of ['=', '+', '-', '@']) expect(descriptions.some((d) => d?.startsWith(lead))).toBe(true);
    expect(descriptions.some((d) => d?.includes('\n'))).toBe(true);
    expect(descriptions.some((d) => d?.includes('"') && d.includes(','))).toBe(true);
    expect(descriptions).toContain(null);
    const languages = new Set(repos.map((r) => r.language));
    expect(languages).toContain(null);
    for (const language of ['C++', 'C#', 'Jupyter Notebook']) expect(languages).toContain(language);
    expect(languages.size).toBeGreaterThanOrEqual(18);
    const nullShare = repos.filter((r) => r.language === null).length / repos.length;
    expect(nullShare).toBeGreaterThan(0.04);
    expect(nullShare).toBeLessThan(0.12);
    expect(repos.some((r) => r.license === null)).toBe(true);
  });

  it('hands out frozen data, so a test cannot corrupt what the server serves', () => {
    const repos = fixtureRepositories(SINCE);
    expect(Object.isFrozen(repos)).toBe(true);
    expect(Object.isFrozen(repos[0]!.owner)).toBe(true);
  });

  it.each(['2024-02-30', '2024-3-01', 'yesterday', ''])('rejects the day %j', (day) => {
    expect(() => fixtureRepositories(day)).toThrow(FixtureInputError);
  });

  it('rejects a bad totalCount', () => {
    expect(() => fixtureRepositories(SINCE, { totalCount: -1 })).toThrow(FixtureInputError);
    expect(() => fixtureRepositories(SINCE, { totalCount: 1.5 })).toThrow(FixtureInputError);
  });
});
