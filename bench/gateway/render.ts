/** The gateway benchmark's tables, in the Markdown docs/benchmarks.md holds. */
import { median } from '../shared/stats.js';
import type { LoadResult } from './load.js';

export const ROUTES = ['POST /api/reports', 'GET /api/reports/:id'] as const;
export type RouteName = (typeof ROUTES)[number];
export const SERVERS = ['bare', 'gateway'] as const;
export type ServerName = (typeof SERVERS)[number];

export interface RouteResult {
  readonly route: RouteName;
  readonly bare: readonly LoadResult[];
  readonly gateway: readonly LoadResult[];
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(2);

function row(route: string, server: string, runs: readonly LoadResult[]): string {
  const perSec = runs.map((r) => r.requestsPerSec);
  return `| ${route} | ${server} | ${int(median(perSec))} | ${int(Math.min(...perSec))}–${int(Math.max(...perSec))} | ${ms(median(runs.map((r) => r.meanMs)))} | ${ms(median(runs.map((r) => r.p99Ms)))} |`;
}

export function renderGatewayTables(results: readonly RouteResult[], gatewayRssMb: number): string {
  const measured = [
    '| route | server | req/s | req/s, each run | mean ms | p99 ms |',
    '|---|---|--:|--:|--:|--:|',
    ...results.flatMap((r) => [row(r.route, 'bare fastify', r.bare), row(r.route, 'gateway', r.gateway)]),
  ];
  const compared = [
    '| route | gateway/bare req/s | p99 added |',
    '|---|--:|--:|',
    ...results.map((r) => {
      const share = median(r.gateway.map((s) => s.requestsPerSec)) / median(r.bare.map((s) => s.requestsPerSec));
      const added = median(r.gateway.map((s) => s.p99Ms)) - median(r.bare.map((s) => s.p99Ms));
      return `| ${r.route} | ${Math.round(share * 100)} % | +${ms(added)} ms |`;
    }),
  ];
  return `${measured.join('\n')}\n\n${compared.join('\n')}\n\nGateway peak RSS: ${Math.round(gatewayRssMb)} MB.`;
}
