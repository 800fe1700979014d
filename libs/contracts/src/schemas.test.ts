import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DeadLetter,
  DeadLetterMessageHeaders,
  ErrorReport,
  IsoDate,
  LanguageGroup,
  MailSend,
  MessageHeaders,
  Repo,
  ReportAggregated,
  ReportFailed,
  ReportFetch,
  ReportFile,
  ReportPage,
  ReportReady,
  ReportRequest,
  ReportStatus,
} from './index.js';

/** The readable error a consumer would log, or a test failure when the input was accepted. */
function errorOf(schema: z.ZodType, input: unknown): string {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return z.prettifyError(result.error);
}

const repo: Repo = {
  id: 1,
  fullName: 'nats-io/nats-server',
  htmlUrl: 'https://github.com/nats-io/nats-server',
  description: 'High-Performance server for NATS.io',
  language: 'Go',
  stars: 15000,
  forks: 1400,
  createdAt: '2012-10-29T16:12:24Z',
};

const file: ReportFile = {
  name: 'report-week-2026-03-01.csv',
  bytes: 1234,
  sha256: 'a'.repeat(64),
  objectKey: 'r-1/report.csv',
  path: '/media/reports/r-1/report.csv',
};

const validExamples: [string, z.ZodType, unknown][] = [
  ['Repo', Repo, repo],
  ['Repo without description and language', Repo, { ...repo, description: null, language: null }],
  ['ReportRequest (minimal)', ReportRequest, { period: 'week' }],
  [
    'ReportRequest (full)',
    ReportRequest,
    {
      requestId: 'nightly-2026.03.01',
      period: 'month',
      refDate: '2024-02-29',
      pages: 10,
      perPage: 50,
      notify: ['ops@example.com'],
      locale: 'en-GB',
    },
  ],
  ['ReportFetch', ReportFetch, { reportId: 'r-1', since: '2026-02-22', page: 1, perPage: 100 }],
  ['ReportPage', ReportPage, { reportId: 'r-1', page: 2, totalCount: 4321, incompleteResults: false, items: [repo] }],
  ['LanguageGroup', LanguageGroup, { language: 'Go', repos: [repo] }],
  [
    'ReportAggregated',
    ReportAggregated,
    { reportId: 'r-1', since: '2026-02-22', period: 'week', groups: [{ language: 'Go', repos: [repo] }] },
  ],
  ['ReportFile', ReportFile, file],
  ['ReportReady', ReportReady, { reportId: 'r-1', file }],
  ['ReportFailed', ReportFailed, { reportId: 'r-1', stage: 'fetch', code: 'github-422', message: 'Validation Failed' }],
  ['MailSend', MailSend, { to: ['a@example.com'], template: 'report-ready', data: { reportId: 'r-1' }, locale: 'de' }],
  [
    'ErrorReport',
    ErrorReport,
    {
      service: 'fetcher',
      subject: 'reports.fetch',
      message: 'boom',
      stack: 'Error: boom\n    at x',
      fingerprint: 'fetcher:boom',
      occurredAt: '2026-03-01T10:00:00.000Z',
    },
  ],
  [
    'DeadLetter',
    DeadLetter,
    {
      subject: 'reports.request',
      reason: 'contract-violation',
      error: '✖ Invalid option → at period',
      data: Buffer.from('{"period":"year"}').toString('base64'),
      headers: { 'correlation-id': ['c-1'] },
      deliveries: 1,
      stream: 'REPORTS',
      streamSeq: 42,
      consumer: 'aggregator',
      deadAt: '2026-03-01T10:00:00+01:00',
    },
  ],
  [
    'ReportStatus (in progress)',
    ReportStatus,
    { reportId: 'r-1', state: 'fetching', pagesDone: 2, pagesTotal: 5, updatedAt: '2026-03-01T10:00:00Z' },
  ],
  [
    'ReportStatus (failed)',
    ReportStatus,
    {
      reportId: 'r-1',
      state: 'failed',
      pagesDone: 2,
      pagesTotal: 5,
      period: 'day',
      since: '2026-02-28',
      error: { stage: 'fetch', code: 'github-422', message: 'Validation Failed' },
      createdAt: '2026-03-01T09:59:00Z',
      updatedAt: '2026-03-01T10:00:00Z',
    },
  ],
  ['ReportStatus (ready)', ReportStatus, { reportId: 'r-1', state: 'ready', pagesDone: 5, pagesTotal: 5, file, updatedAt: '2026-03-01T10:00:00Z' }],
  [
    'MessageHeaders',
    MessageHeaders,
    {
      locale: 'de',
      'correlation-id': 'c-1',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'contract-version': '1',
      'Nats-Msg-Id': 'tick-2026-03-01T10:00',
      'Nats-Expected-Stream': 'REPORTS',
    },
  ],
  [
    'DeadLetterMessageHeaders',
    DeadLetterMessageHeaders,
    {
      'correlation-id': 'c-1',
      'dlq-reason': 'max-deliveries',
      'dlq-error': 'GitHub answered 503 | retry later',
      'dlq-subject': 'reports.fetch',
      'dlq-stream': 'REPORTS',
      'dlq-stream-seq': '17',
      'dlq-consumer': 'fetcher',
      'dlq-deliveries': '5',
      'dlq-service': 'fetcher',
      'dlq-dead-at': '2026-03-01T10:00:00.000Z',
      'dlq-original-msg-id': 'r-1:page:3',
    },
  ],
];

describe('valid examples', () => {
  it.each(validExamples)('%s is accepted', (_name, schema, input) => {
    const result = schema.safeParse(input);
    expect(result.success, result.success ? '' : z.prettifyError(result.error)).toBe(true);
  });
});

describe('ReportRequest', () => {
  it('fills in pages and perPage', () => {
    expect(ReportRequest.parse({ period: 'day' })).toEqual({ period: 'day', pages: 5, perPage: 100 });
  });

  it('keeps explicit pages and perPage', () => {
    expect(ReportRequest.parse({ period: 'day', pages: 1, perPage: 10 })).toMatchObject({ pages: 1, perPage: 10 });
  });

  it('rejects an unknown period', () => {
    const error = errorOf(ReportRequest, { period: 'year' });
    expect(error).toContain('→ at period');
    expect(error).toMatch(/expected one of "day"\|"week"\|"month"/);
  });

  it('rejects an impossible date', () => {
    expect(errorOf(ReportRequest, { period: 'week', refDate: '2026-02-30' })).toBe('✖ Invalid ISO date\n  → at refDate');
  });

  it('rejects unknown fields, naming them', () => {
    expect(errorOf(ReportRequest, { period: 'week', perpage: 10 })).toBe('✖ Unrecognized key: "perpage"');
  });

  it('rejects an address that is not an e-mail, pointing at it', () => {
    expect(errorOf(ReportRequest, { period: 'week', notify: ['ok@example.com', 'not-an-email'] })).toBe(
      '✖ Invalid email address\n  → at notify[1]',
    );
  });

  it('rejects more than 10 pages', () => {
    expect(errorOf(ReportRequest, { period: 'week', pages: 11 })).toBe('✖ Too big: expected number to be <=10\n  → at pages');
  });

  it.each([
    ['perPage 0', { perPage: 0 }, 'perPage'],
    ['perPage 101', { perPage: 101 }, 'perPage'],
    ['a fractional page count', { pages: 2.5 }, 'pages'],
    ['21 recipients', { notify: Array.from({ length: 21 }, (_, i) => `u${i}@example.com`) }, 'notify'],
    ['a requestId with a slash', { requestId: 'a/b' }, 'requestId'],
    ['a requestId starting with a dot', { requestId: '.hidden' }, 'requestId'],
    ['a requestId of 129 characters', { requestId: 'x'.repeat(129) }, 'requestId'],
    ['a locale that is not a language tag', { locale: 'english please' }, 'locale'],
    ['a date with a time', { refDate: '2026-03-01T00:00:00Z' }, 'refDate'],
  ])('rejects %s', (_name, fields, path) => {
    expect(errorOf(ReportRequest, { period: 'week', ...fields })).toContain(`→ at ${path}`);
  });

  it('requires a period', () => {
    expect(errorOf(ReportRequest, {})).toContain('→ at period');
  });
});

describe('IsoDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2026-12-31'])('accepts %s', (date) => {
    expect(IsoDate.safeParse(date).success).toBe(true);
  });

  it.each(['2026-02-30', '2025-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-3-1', '20260301'])('rejects %s', (date) => {
    expect(IsoDate.safeParse(date).success).toBe(false);
  });
});

describe('rejections with a readable error', () => {
  const cases: [string, z.ZodType, unknown, string][] = [
    ['Repo with a negative star count', Repo, { ...repo, stars: -1 }, '→ at stars'],
    ['Repo with a non-web URL', Repo, { ...repo, htmlUrl: 'javascript:alert(1)' }, '→ at htmlUrl'],
    ['Repo with user info in its URL', Repo, { ...repo, htmlUrl: 'https://github.com@evil.example/x' }, '→ at htmlUrl'],
    ['Repo with a blank in its URL', Repo, { ...repo, htmlUrl: 'https://github.com/a b' }, '→ at htmlUrl'],
    ['Repo with a name that is not owner/name', Repo, { ...repo, fullName: 'nats-server' }, '→ at fullName'],
    ['Repo with a missing language (not null)', Repo, { ...repo, language: undefined }, '→ at language'],
    ['Repo with GitHub field names', Repo, { ...repo, stargazers_count: 1 }, 'Unrecognized key: "stargazers_count"'],
    ['ReportFetch with page 0', ReportFetch, { reportId: 'r-1', since: '2026-02-22', page: 0, perPage: 100 }, '→ at page'],
    ['ReportFetch with an impossible since', ReportFetch, { reportId: 'r-1', since: '2026-02-30', page: 1, perPage: 100 }, '→ at since'],
    [
      'ReportPage with 101 items',
      ReportPage,
      { reportId: 'r-1', page: 1, totalCount: 1, incompleteResults: false, items: Array.from({ length: 101 }, () => repo) },
      '→ at items',
    ],
    ['ReportPage with a bad item', ReportPage, { reportId: 'r-1', page: 1, totalCount: 1, incompleteResults: false, items: [{ ...repo, id: 0 }] }, '→ at items[0].id'],
    ['ReportAggregated with an unknown period', ReportAggregated, { reportId: 'r-1', since: '2026-02-22', period: 'year', groups: [] }, '→ at period'],
    ['ReportFile with a short hash', ReportFile, { ...file, sha256: 'abc' }, '→ at sha256'],
    ['ReportReady without a file', ReportReady, { reportId: 'r-1' }, '→ at file'],
    ['ReportFailed with an unknown stage', ReportFailed, { reportId: 'r-1', stage: 'mail', code: 'x', message: 'y' }, '→ at stage'],
    ['MailSend to nobody', MailSend, { to: [], template: 'report-ready', data: {} }, '→ at to'],
    ['MailSend to a non-address', MailSend, { to: ['ops'], template: 'report-ready', data: {} }, '→ at to[0]'],
    ['MailSend with an unknown template', MailSend, { to: ['a@example.com'], template: 'welcome', data: {} }, '→ at template'],
    ['ErrorReport without a fingerprint', ErrorReport, { service: 'x', message: 'y', occurredAt: '2026-03-01T10:00:00Z' }, '→ at fingerprint'],
    ['ErrorReport with a date for a timestamp', ErrorReport, { service: 'x', message: 'y', fingerprint: 'f', occurredAt: '2026-03-01' }, '→ at occurredAt'],
    [
      'DeadLetter with zero deliveries',
      DeadLetter,
      { subject: 's', reason: 'unrecoverable', error: 'e', data: '', headers: {}, deliveries: 0, deadAt: '2026-03-01T10:00:00Z' },
      '→ at deliveries',
    ],
    [
      'DeadLetter with data that is not base64',
      DeadLetter,
      { subject: 's', reason: 'unrecoverable', error: 'e', data: '{"raw":true}', headers: {}, deliveries: 1, deadAt: '2026-03-01T10:00:00Z' },
      '→ at data',
    ],
    [
      'DeadLetter with single-valued headers',
      DeadLetter,
      { subject: 's', reason: 'unrecoverable', error: 'e', data: '', headers: { locale: 'de' }, deliveries: 1, deadAt: '2026-03-01T10:00:00Z' },
      '→ at headers.locale',
    ],
    [
      'DeadLetter with an unknown reason',
      DeadLetter,
      { subject: 's', reason: 'oops', error: 'e', data: '', headers: {}, deliveries: 1, deadAt: '2026-03-01T10:00:00Z' },
      '→ at reason',
    ],
    ['ReportStatus with an unknown state', ReportStatus, { reportId: 'r-1', state: 'done', pagesDone: 0, pagesTotal: 0, updatedAt: '2026-03-01T10:00:00Z' }, '→ at state'],
    ['ReportStatus without updatedAt', ReportStatus, { reportId: 'r-1', state: 'queued', pagesDone: 0, pagesTotal: 5 }, '→ at updatedAt'],
    ['dead-letter headers without a reason', DeadLetterMessageHeaders, { 'dlq-subject': 's', 'dlq-dead-at': '2026-03-01T10:00:00Z' }, '→ at ["dlq-reason"]'],
    [
      'dead-letter headers with a non-numeric sequence',
      DeadLetterMessageHeaders,
      { 'dlq-reason': 'unrecoverable', 'dlq-subject': 's', 'dlq-dead-at': '2026-03-01T10:00:00Z', 'dlq-stream-seq': 'x' },
      '→ at ["dlq-stream-seq"]',
    ],
    ['MessageHeaders with a malformed traceparent', MessageHeaders, { traceparent: 'abc' }, '→ at traceparent'],
    ['MessageHeaders with a non-numeric contract version', MessageHeaders, { 'contract-version': 'v1' }, '→ at ["contract-version"]'],
  ];

  it.each(cases)('%s', (_name, schema, input, expected) => {
    expect(errorOf(schema, input)).toContain(expected);
  });
});
