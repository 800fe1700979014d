/** What the bare pipeline's processes and its starter (bare-pipeline.ts) agree on. */
export const BARE_STREAM = 'BARE';
export const BareSubjects = {
  request: 'bare.request',
  fetch: 'bare.fetch',
  page: 'bare.page',
  aggregated: 'bare.aggregated',
  ready: 'bare.ready',
} as const;
export type BareRole = 'aggregator' | 'fetcher' | 'importer';

export interface BareJob {
  readonly role: BareRole;
  readonly natsUrl: string;
  readonly apiUrl: string;
  readonly mediaRoot: string;
  readonly concurrency: number;
}

export function bareDurable(subject: string): string {
  return subject.replaceAll('.', '-');
}
