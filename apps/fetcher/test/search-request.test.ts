import { describe, expect, it } from 'vitest';
import { searchHeaders, searchPath } from '../src/search-request.js';

describe('searchPath', () => {
  const query = { since: '2026-01-05', page: 3, perPage: 100 };

  it('asks for repositories created since the day, most stars first', () => {
    const path = searchPath(new URL('https://api.github.com'), query);
    const url = new URL(path, 'https://api.github.com');
    expect(url.pathname).toBe('/search/repositories');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'created:>=2026-01-05', sort: 'stars', order: 'desc', per_page: '100', page: '3' });
  });

  it('keeps the path prefix of a GitHub Enterprise root', () => {
    expect(searchPath(new URL('https://ghe.example.com/api/v3/'), query)).toMatch(/^\/api\/v3\/search\/repositories\?/);
  });
});

describe('searchHeaders', () => {
  it('sends the token only as a Bearer authorization, and only when there is one', () => {
    expect(searchHeaders('t0k3n')).toMatchObject({ authorization: 'Bearer t0k3n', 'user-agent': 'hotrepos', 'x-github-api-version': '2022-11-28' });
    expect(searchHeaders(undefined)).not.toHaveProperty('authorization');
    expect(searchHeaders(undefined)).toMatchObject({ accept: 'application/vnd.github+json' });
  });
});
