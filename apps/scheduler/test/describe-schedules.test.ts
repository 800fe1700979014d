import { describe, expect, it } from 'vitest';
import { CronTimes } from '../src/cron-times.js';
import { describeSchedules } from '../src/describe-schedules.js';
import type { Schedule } from '../src/schedule.js';

const schedule = (name: string, cron: string, timezone: string): Schedule => ({ name, cron, timezone, subject: 'reports.request', payload: { period: 'day' }, times: new CronTimes(cron, timezone) });

describe('describeSchedules', () => {
  it('lists the next run times with the offset in force at each, across a change to summer time', () => {
    const now = new Date('2026-03-27T12:00:00Z');
    expect(describeSchedules([schedule('berlin', '0 9 * * *', 'Europe/Berlin'), schedule('utc', '0 0 * * *', 'UTC')], now, 3)).toEqual([
      { name: 'berlin', cron: '0 9 * * *', timezone: 'Europe/Berlin', subject: 'reports.request', next: ['2026-03-28T09:00:00+01:00', '2026-03-29T09:00:00+02:00', '2026-03-30T09:00:00+02:00'] },
      { name: 'utc', cron: '0 0 * * *', timezone: 'UTC', subject: 'reports.request', next: ['2026-03-28T00:00:00+00:00', '2026-03-29T00:00:00+00:00', '2026-03-30T00:00:00+00:00'] },
    ]);
  });

  it('writes negative and half-hour offsets', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    const [newYork, kolkata] = describeSchedules([schedule('ny', '30 17 * * *', 'America/New_York'), schedule('in', '0 6 * * *', 'Asia/Kolkata')], now, 1);
    expect(newYork?.next).toEqual(['2026-11-28T17:30:00-05:00']);
    expect(kolkata?.next).toEqual(['2026-11-28T06:00:00+05:30']);
  });
});

describe('CronTimes', () => {
  const times = new CronTimes('0 0 * * *', 'UTC');

  it('counts a tick exactly at the reference as due, and the next one as strictly later', () => {
    const midnight = new Date('2026-11-28T00:00:00Z');
    expect(times.latest(midnight)).toEqual(midnight);
    expect(times.latest(new Date('2026-11-27T23:59:59.999Z'))).toEqual(new Date('2026-11-27T00:00:00Z'));
    expect(times.next(midnight)).toEqual(new Date('2026-11-29T00:00:00Z'));
    expect(times.next(new Date('2026-11-27T23:59:59.999Z'))).toEqual(midnight);
  });
});
