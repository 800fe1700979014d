import { describe, expect, it } from 'vitest';
import { GithubMalformedResponseError } from '../src/github-errors.js';
import { SearchPageReader } from '../src/search-response.js';

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

/** Reads `text` as it might arrive from a socket: in pieces of a few bytes. */
function parseSearchPage(text: string, pieceBytes = 7) {
  const reader = new SearchPageReader();
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += pieceBytes) reader.push(bytes.subarray(at, at + pieceBytes));
  return reader.end();
}

describe('SearchPageReader', () => {
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
    expect(() => parseSearchPage(body({ total_count: 1, incomplete_results: false, items: [item, noStars] }))).toThrow(/items\[1\]\.stargazers_count/);
    expect(() => parseSearchPage(body({ total_count: '1', incomplete_results: false, items: [] }))).toThrow(GithubMalformedResponseError);
    expect(() => parseSearchPage(body({ total_count: 1, incomplete_results: false, items: [{ ...item, html_url: 'javascript:alert(1)' }] }))).toThrow(/html_url/);
  });

  it('rejects a result without items, and stops at an item past the page size', () => {
    expect(() => parseSearchPage(body({ total_count: 1, incomplete_results: false }))).toThrow(/items/);
    const many = Array.from({ length: 101 }, (_, i) => ({ ...item, id: i + 1 }));
    expect(() => parseSearchPage(body({ total_count: 101, incomplete_results: false, items: many }))).toThrow(/more than 100 items/);
  });

  it('reads the same whatever the piece size', () => {
    const text = body({ total_count: 2, incomplete_results: false, items: [item, { ...item, id: 102, description: 'a "quoted" \\ description ✓' }] });
    const whole = parseSearchPage(text, text.length);
    for (const size of [1, 2, 3, 64]) expect(parseSearchPage(text, size)).toEqual(whole);
  });
});
