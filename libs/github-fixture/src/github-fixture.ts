/**
 * A GitHub-compatible `GET /search/repositories` over real HTTP, for tests, the offline demo and
 * the benchmark: deterministic data, GitHub's search budget, and faults injected on demand.
 */
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { callerOf } from './authorization.js';
import { FaultRules } from './fault-rules.js';
import { resolveSettings, type FaultRule, type FixtureOptions, type FixtureSettings } from './fixture-options.js';
import { GithubFixtureStartError } from './github-fixture-start-error.js';
import {
  badCredentials,
  beyondFirstThousand,
  bytesReply,
  notFound,
  rateLimitHeaders,
  rateLimited,
  serverError,
  validationFailed,
  type Reply,
} from './github-replies.js';
import { RateBudget } from './rate-budget.js';
import { RequestStats, type FixtureStats } from './request-stats.js';
import { beyondCap, lastPage, pageBody, totalCountOf } from './search-pages.js';
import { parseSearch, type SearchRequest } from './search-request.js';

export interface GithubFixture {
  /** `http://127.0.0.1:<port>`, to use as the API base URL. */
  readonly url: string;
  readonly port: number;
  stats(): FixtureStats;
  /** Forgets the stats, the spent budgets and the fault rules' counts (not the settings). */
  reset(): void;
  /** Changes settings for the requests that arrive from now on; new `rateLimit` or `faults` start counting afresh. */
  setOptions(settings: FixtureSettings): void;
  /** Closes the server and every connection, idle or not; pending delays are abandoned. */
  stop(): Promise<void>;
}

const SEARCH_PATH = '/search/repositories';
const DEFAULT_SLOW_BODY_MS = 1000;

interface Outcome {
  readonly reply: Reply;
  readonly fault: FaultRule | undefined;
  readonly overBudget: boolean;
}

export async function startGithubFixture(opts: FixtureOptions = {}): Promise<GithubFixture> {
  const { port: wantedPort = 0, ...initial } = opts;
  let requested: FixtureSettings = initial;
  let settings = resolveSettings(requested);
  let budget = new RateBudget(settings.rateLimit);
  let faults = new FaultRules(settings.faults);
  let stats = new RequestStats();
  const stopping = new AbortController();
  // Every delayed response listens for the stop; under load there are hundreds at once.
  setMaxListeners(0, stopping.signal);
  let baseUrl = '';

  function decide(req: IncomingMessage, url: URL, token: string | undefined, nowMs: number): Outcome {
    const budgetState = budget.take(token, nowMs);
    if (!budgetState.allowed) {
      const caller = { token, address: req.socket.remoteAddress ?? '127.0.0.1' };
      return { reply: rateLimited(settings.rateLimitStatus, caller, budgetState, nowMs), fault: undefined, overBudget: true };
    }
    const headers = rateLimitHeaders(budgetState);
    const parsed = parseSearch(url.searchParams);
    let reply: Reply;
    if (!parsed.ok) reply = validationFailed(parsed.invalidField, headers);
    else if (beyondCap(parsed.request)) reply = beyondFirstThousand(headers);
    else reply = searchPage(parsed.request, url, headers);
    return { reply, fault: faults.pick({ page: parsed.page, qDay: parsed.qDay }), overBudget: false };
  }

  function searchPage(request: SearchRequest, url: URL, headers: Record<string, string>): Reply {
    const body = pageBody({ ...request, totalCount: settings.totalCount, overlap: settings.overlap });
    const link = linkHeader(url, request, lastPage(totalCountOf(request.since, settings.totalCount), request.perPage));
    return bytesReply(200, body, link ? { ...headers, link } : headers);
  }

  function linkHeader(url: URL, { page }: SearchRequest, last: number): string | undefined {
    const to = (p: number, rel: string) => {
      const params = new URLSearchParams(url.searchParams);
      params.set('page', String(p));
      return `<${baseUrl}${url.pathname}?${params}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(to(Math.min(page - 1, last), 'prev'));
    if (page < last) links.push(to(page + 1, 'next'), to(last, 'last'));
    if (page > 1) links.push(to(1, 'first'));
    return links.length ? links.join(', ') : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const caller = callerOf(req.headers.authorization);
    const token = caller === 'malformed' ? undefined : caller.token;
    let outcome: Outcome;
    if (req.method !== 'GET' || url.pathname !== SEARCH_PATH) outcome = { reply: notFound(), fault: undefined, overBudget: false };
    else if (caller === 'malformed' || (token !== undefined && settings.tokens && !settings.tokens.has(token))) {
      outcome = { reply: badCredentials(), fault: undefined, overBudget: false };
    } else outcome = decide(req, url, token, at);

    const { reply, fault, overBudget } = outcome;
    const sent = fault ? applyFault(fault.fault, reply) : reply;
    const status = fault?.fault === 'connection-reset' ? 0 : sent.status;
    stats.record({ method: req.method ?? 'GET', url: req.url ?? '/', status, at, token }, overBudget);

    if (settings.latencyMs > 0 && !(await pause(settings.latencyMs))) return;
    if (fault?.fault === 'connection-reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(sent.status, { ...sent.headers, 'content-length': String(sent.body.length) });
    if (fault?.fault !== 'slow-body') {
      res.end(sent.body);
      return;
    }
    const half = Math.floor(sent.body.length / 2);
    res.write(sent.body.subarray(0, half));
    if (!(await pause(fault.slowBodyMs ?? DEFAULT_SLOW_BODY_MS))) return;
    if (!res.destroyed) res.end(sent.body.subarray(half));
  }

  /** Waits, unless the fixture stops first; false means give up on the response. */
  async function pause(ms: number): Promise<boolean> {
    try {
      await delay(ms, undefined, { signal: stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the fixture must fail the one request, not the test process.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`github-fixture failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wantedPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    throw new GithubFixtureStartError(`cannot listen on 127.0.0.1:${wantedPort}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;

  return {
    url: baseUrl,
    port,
    stats: () => stats.snapshot(faults.hits()),
    reset() {
      stats = new RequestStats();
      budget = new RateBudget(settings.rateLimit);
      faults = new FaultRules(settings.faults);
    },
    setOptions(changes) {
      const next = { ...requested, ...changes };
      settings = resolveSettings(next);
      requested = next;
      if ('rateLimit' in changes) budget = new RateBudget(settings.rateLimit);
      if ('faults' in changes) faults = new FaultRules(settings.faults);
    },
    stop() {
      closed ??= new Promise<void>((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function applyFault(fault: FaultRule['fault'], reply: Reply): Reply {
  switch (fault) {
    case 'status-500':
      return serverError(500, pickRateLimitHeaders(reply));
    case 'status-502':
      return serverError(502, pickRateLimitHeaders(reply));
    case 'status-422':
      return validationFailed('q', pickRateLimitHeaders(reply));
    case 'malformed-json':
      return { ...reply, body: reply.body.subarray(0, Math.floor(reply.body.length / 2)) };
    case 'slow-body':
    case 'connection-reset':
      return reply;
  }
}

function pickRateLimitHeaders(reply: Reply): Record<string, string> {
  return Object.fromEntries(Object.entries(reply.headers).filter(([name]) => name.startsWith('x-ratelimit-')));
}
