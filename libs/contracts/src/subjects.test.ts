import { describe, expect, it } from 'vitest';
import { DLQ_PREFIX, Subjects, buildAsyncApi, contracts, dlqSubject, isSubject } from './index.js';

interface AsyncApiChannels {
  channels: Record<string, { address: string | null }>;
}

describe('Subjects', () => {
  const subjects = Object.values(Subjects);

  it('are unique', () => {
    expect(new Set(subjects).size).toBe(subjects.length);
  });

  it.each(subjects)('%s has a contract', (subject) => {
    expect(contracts).toHaveProperty([subject]);
  });

  it('has no contract without a subject', () => {
    expect(Object.keys(contracts).sort()).toEqual([...subjects].sort());
  });

  it.each(subjects)('%s has an AsyncAPI channel', (subject) => {
    const { channels } = buildAsyncApi() as AsyncApiChannels;
    expect(Object.values(channels).map((c) => c.address)).toContain(subject);
  });

  it('dead letters have a parameterised AsyncAPI channel', () => {
    const { channels } = buildAsyncApi() as AsyncApiChannels;
    expect(Object.values(channels).map((c) => c.address)).toContain(`${DLQ_PREFIX}{subject}`);
  });

  it('isSubject tells known subjects from others', () => {
    expect(isSubject('reports.request')).toBe(true);
    expect(isSubject('reports.>')).toBe(false);
    expect(isSubject('dlq.reports.request')).toBe(false);
  });
});

describe('dlqSubject', () => {
  it('prefixes the original subject', () => {
    expect(dlqSubject(Subjects.ReportsRequest)).toBe('dlq.reports.request');
    expect(dlqSubject('custom.thing')).toBe('dlq.custom.thing');
  });
});
