import { describe, expect, it } from 'vitest';
import { reportFileName, reportObjectKey, sinceDate, utcDate } from './index.js';

describe('sinceDate', () => {
  it('counts a day, a week or 30 days back from the reference date', () => {
    expect(sinceDate('day', '2026-11-27')).toBe('2026-11-26');
    expect(sinceDate('week', '2026-11-27')).toBe('2026-11-20');
    expect(sinceDate('month', '2026-11-27')).toBe('2026-10-28');
  });

  it('crosses month, year and leap-day boundaries', () => {
    expect(sinceDate('day', '2026-01-01')).toBe('2025-12-31');
    expect(sinceDate('week', '2024-03-03')).toBe('2024-02-25');
    expect(sinceDate('day', '2024-03-01')).toBe('2024-02-29');
  });

  it('takes today in UTC, not local time', () => {
    expect(utcDate(new Date('2026-11-27T23:30:00-05:00'))).toBe('2026-11-28');
  });
});

describe('report file names', () => {
  it('names the file after the since date and keys it by report', () => {
    expect(reportFileName('2026-11-20')).toBe('github-hot-repos-2026-11-20.csv');
    expect(reportObjectKey('abc', '2026-11-20')).toBe('abc/github-hot-repos-2026-11-20.csv');
  });
});
