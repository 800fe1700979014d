/** The status, headers and bodies GitHub answers with, so clients meet the same shapes as in production. */
import { Prng } from './prng.js';
import type { BudgetState } from './rate-budget.js';

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const SEARCH_DOCS = 'https://docs.github.com/v3/search';
const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-github-api-version-selected': '2022-11-28',
  'x-github-media-type': 'github.v3; format=json',
};

export function jsonReply(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Reply {
  return { status, headers: { ...BASE_HEADERS, ...headers }, body: Buffer.from(JSON.stringify(body)) };
}

export function bytesReply(status: number, body: Buffer, headers: Readonly<Record<string, string>>): Reply {
  return { status, headers: { ...BASE_HEADERS, ...headers }, body };
}

export function rateLimitHeaders(budget: BudgetState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(budget.limit),
    'x-ratelimit-remaining': String(budget.remaining),
    'x-ratelimit-reset': String(Math.ceil(budget.resetAtMs / 1000)),
    'x-ratelimit-used': String(budget.used),
    'x-ratelimit-resource': 'search',
  };
}

export const notFound = (): Reply => jsonReply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });

export const badCredentials = (): Reply => jsonReply(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });

export function validationFailed(field: 'q' | 'sort', headers: Record<string, string>): Reply {
  return jsonReply(422, { message: 'Validation Failed', errors: [{ resource: 'Search', field, code: 'invalid' }], documentation_url: SEARCH_DOCS, status: '422' }, headers);
}

export function beyondFirstThousand(headers: Record<string, string>): Reply {
  return jsonReply(422, { message: 'Only the first 1000 search results are available', documentation_url: SEARCH_DOCS, status: '422' }, headers);
}

export function serverError(status: 500 | 502, headers: Record<string, string>): Reply {
  return jsonReply(status, { message: status === 500 ? 'Server Error' : 'Bad Gateway', status: String(status) }, headers);
}

/** GitHub names an authenticated caller by user id and an anonymous one by address, with a nudge to authenticate. */
export function rateLimited(status: 403 | 429, caller: { token: string | undefined; address: string }, budget: BudgetState, nowMs: number): Reply {
  const message =
    caller.token === undefined
      ? `API rate limit exceeded for ${caller.address}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`
      : `API rate limit exceeded for user ID ${Prng.fromString(caller.token).int(1, 199_999_999)}.`;
  const retryAfterSeconds = Math.max(1, Math.ceil((budget.resetAtMs - nowMs) / 1000));
  return jsonReply(
    status,
    { message, documentation_url: RATE_LIMIT_DOCS, status: String(status) },
    { ...rateLimitHeaders(budget), 'retry-after': String(retryAfterSeconds) },
  );
}
