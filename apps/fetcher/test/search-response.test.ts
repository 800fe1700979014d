import { describe, expect, it } from 'vitest';
import { GithubMalformedResponseError } from '../src/github-errors.js';
import { parseSearchPage } from '../src/search-response.js';

const item = {
  id: 101,
  node_id: 'R_kgDO',
  name: 'demo',
  full_name: 'octo/demo',
  private: false,
  owner: { login: 'octo', id: 1 },
  html_url: 'https://github.com/octo/demo',
  description: null,
  fork: false,
  created_at: '2026-01-05T10:00:00Z',
  stargazers_count: 1234,
  watchers_count: 1234,
  language: 'Rust',
  forks_count: 56,
  topics: ['cli'],
  score: 1,
};

const body = (value: unknown) => JSON.stringify(value);

describe('parseSearchPage', () => {
  it('trims each item to the Repo contract', () => {
    const page = parseSearchPage(body({ total_count: 4321, incomplete_results: true, items: [item] }));
    expect(page).toEqual({
      totalCount: 4321,
      incompleteResults: true,
      items: [
        {
          id: 101,
          fullName: 'octo/demo',
          htmlUrl: 'https://github.com/octo/demo',
          description: null,
          language: 'Rust',
          stars: 1234,
          forks: 56,
          createdAt: '2026-01-05T10:00:00Z',
        },
      ],
    });
  });

  it('rejects a body that is not JSON', () => {
    expect(() => parseSearchPage('{"total_count": 3, "items": [')).toThrow(GithubMalformedResponseError);
  });

  it('rejects a result with a missing or mistyped field, naming it', () => {
    const { stargazers_count: _, ...noStars } = item;
    expect(() => parseSearchPage(body({ total_count: 1, incomplete_results: false, items: [noStars] }))).toThrow(/stargazers_count/);
    expect(() => parseSearchPage(body({ total_count: '1', incomplete_results: false, items: [] }))).toThrow(GithubMalformedResponseError);
    expect(() => parseSearchPage(body({ total_count: 1, incomplete_results: false, items: [{ ...item, html_url: 'javascript:alert(1)' }] }))).toThrow(/html_url/);
  });
});
