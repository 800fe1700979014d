/** `SCHEDULES` is checked at start-up: every mistake is one clear line naming the entry and field. */
import { ConfigError, parseConfig } from '@hotrepos/config';
import { describe, expect, it } from 'vitest';
import { SchedulerEnv } from '../src/config.js';

const report = { name: 'nightly', cron: '0 0 * * *', subject: 'reports.request', payload: { period: 'day' } };

function issuesOf(schedules: unknown): string[] {
  try {
    parseConfig(SchedulerEnv, { SCHEDULES: typeof schedules === 'string' ? schedules : JSON.stringify(schedules) });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('SCHEDULES', () => {
  it('defaults to a daily report at midnight UTC', () => {
    const config = parseConfig(SchedulerEnv, {});
    expect(config.SCHEDULES.map(({ name, cron, timezone, subject, payload }) => ({ name, cron, timezone, subject, payload }))).toEqual([
      { name: 'daily-report', cron: '0 0 * * *', timezone: 'UTC', subject: 'reports.request', payload: { period: 'day' } },
    ]);
    expect(config.SCHEDULER_RETRY_DELAY).toBe(5_000);
  });

  it('accepts several schedules, nicknames and other subjects', () => {
    const config = parseConfig(SchedulerEnv, {
      SCHEDULES: JSON.stringify([
        { ...report, timezone: 'Europe/Berlin' },
        { name: 'weekly', cron: '@weekly', subject: 'reports.request', payload: { period: 'week', notify: ['ops@example.com'] } },
        { name: 'hello', cron: '0 8 * * 1-5', subject: 'mail.send', payload: { to: ['ops@example.com'], template: 'report-ready', data: {} } },
      ]),
    });
    expect(config.SCHEDULES.map((s) => [s.name, s.timezone])).toEqual([
      ['nightly', 'Europe/Berlin'],
      ['weekly', 'UTC'],
      ['hello', 'UTC'],
    ]);
  });

  it.each([
    ['a bad cron pattern', [{ ...report, cron: '61 * * * *' }], /^SCHEDULES\.0\.cron: schedule "nightly": "61 \* \* \* \*" is not a valid five-field cron pattern: .*minute/],
    ['a cron pattern with seconds', [{ ...report, cron: '0 0 0 * * *' }], /^SCHEDULES\.0\.cron: schedule "nightly": "0 0 0 \* \* \*" is not a valid five-field cron pattern/],
    ['a pattern that never fires', [{ ...report, cron: '0 0 30 2 *' }], /^SCHEDULES\.0\.cron: schedule "nightly": "0 0 30 2 \*" never fires after /],
    ['an unknown time zone', [{ ...report, timezone: 'Europe/Atlantis' }], /^SCHEDULES\.0\.timezone: schedule "nightly": unknown time zone "Europe\/Atlantis"/],
    ['a subject with no contract', [{ ...report, subject: 'reports.bogus' }], /^SCHEDULES\.0\.subject: schedule "nightly": no contract for subject "reports\.bogus" \(known: reports\.request, /],
    ['a payload violating the contract', [{ ...report, payload: { period: 'year' } }], /^SCHEDULES\.0\.payload: schedule "nightly": payload violates the reports\.request contract: .*period/],
    ['an unknown payload field', [{ ...report, payload: { period: 'day', page: 3 } }], /^SCHEDULES\.0\.payload: schedule "nightly": payload violates the reports\.request contract: .*page/],
    ['duplicate names', [report, { ...report, cron: '0 12 * * *' }], /^SCHEDULES\.1\.name: duplicate schedule name "nightly" \(also SCHEDULES\.0\)$/],
    ['a name unfit for ids', [{ ...report, name: 'night ly' }], /^SCHEDULES\.0\.name: Expected letters, digits/],
    ['a misspelt field', [{ ...report, timeZone: 'UTC' }], /^SCHEDULES\.0: Unrecognized key: "timeZone"$/],
    ['no schedule at all', [], /^SCHEDULES: expected at least one schedule$/],
    ['text that is not JSON', '[{name: nightly}]', /^SCHEDULES: expected a JSON array of schedules: /],
    ['an object instead of an array', report, /^SCHEDULES: Invalid input: expected array, received object$/],
  ])('rejects %s', (_, schedules, expected) => {
    expect(issuesOf(schedules)).toEqual([expect.stringMatching(expected)]);
  });

  it('reports every bad schedule at once', () => {
    const issues = issuesOf([{ ...report, cron: 'never' }, { ...report, name: 'other', timezone: 'Mars/Olympus' }, { ...report, name: 'third', subject: 'nope' }]);
    expect(issues.map((line) => line.split(':')[0])).toEqual(['SCHEDULES.0.cron', 'SCHEDULES.1.timezone', 'SCHEDULES.2.subject']);
  });
});
