import { describe, expect, it } from 'vitest';
import { Streams, Subjects, dlqSubject, streamFor, subjectMatches } from './index.js';

describe('subjectMatches', () => {
  it.each([
    ['reports.>', 'reports.request', true],
    ['reports.>', 'reports.a.b.c', true],
    ['reports.>', 'reports', false],
    ['reports.>', 'reportsx.request', false],
    ['>', 'anything.at.all', true],
    ['reports.*', 'reports.request', true],
    ['reports.*', 'reports.a.b', false],
    ['*.request', 'reports.request', true],
    ['reports.*.done', 'reports.x.done', true],
    ['reports.*.done', 'reports.done', false],
    ['reports.request', 'reports.request', true],
    ['reports.request', 'reports.request.x', false],
    ['reports.request', 'reports', false],
    ['a.>.b', 'a.x.b', false],
    ['reports.>', 'reports..request', false],
    ['reports.>', 'reports.', false],
  ])('%s vs %s → %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});

describe('streamFor', () => {
  it.each(Object.values(Subjects))('stores %s', (subject) => {
    expect(streamFor(subject)).toBeDefined();
  });

  it('routes by the first token', () => {
    expect(streamFor(Subjects.ReportsFetch)).toBe(Streams.Reports);
    expect(streamFor(Subjects.MailSend)).toBe(Streams.Mail);
    expect(streamFor(Subjects.ErrorsReport)).toBe(Streams.Errors);
  });

  it('keeps dead letters apart from live traffic', () => {
    expect(streamFor(dlqSubject(Subjects.ReportsRequest))).toBe(Streams.DeadLetters);
    expect(streamFor(dlqSubject(Subjects.MailSend))).toBe(Streams.DeadLetters);
  });

  it('finds no stream for an unknown subject', () => {
    expect(streamFor('metrics.cpu')).toBeUndefined();
    expect(streamFor('reports')).toBeUndefined();
  });

  it('no subject is captured by two streams', () => {
    for (const subject of [...Object.values(Subjects), ...Object.values(Subjects).map(dlqSubject)]) {
      const owners = Object.values(Streams).filter((s) => s.subjects.some((p) => subjectMatches(p, subject)));
      expect(owners, subject).toHaveLength(1);
    }
  });

  it('de-duplicates reports for longer than the other streams, and within max age', () => {
    for (const stream of Object.values(Streams)) {
      expect(stream.duplicateWindowMs).toBeLessThanOrEqual(stream.maxAgeMs);
    }
    expect(Streams.Reports.duplicateWindowMs).toBe(10 * 60_000);
  });
});
