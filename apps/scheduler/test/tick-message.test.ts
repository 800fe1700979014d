import { describe, expect, it } from 'vitest';
import { compactUtc, tickMessage, type TickSource } from '../src/tick-message.js';

const source = (over: Partial<TickSource> = {}): TickSource => ({ name: 'daily', timezone: 'UTC', subject: 'reports.request', payload: { period: 'day' }, ...over });

describe('tickMessage', () => {
  it('derives the msgId, requestId and refDate from the schedule and the tick alone', () => {
    expect(tickMessage(source(), new Date('2026-11-28T00:00:00Z'))).toEqual({
      subject: 'reports.request',
      payload: { period: 'day', requestId: 'daily-20261128T000000Z', refDate: '2026-11-28' },
      msgId: 'schedule:daily:2026-11-28T00:00:00.000Z',
    });
  });

  it("takes refDate from the tick's day in the schedule's time zone", () => {
    // Midnight in Tokyo is 15:00 the day before in UTC.
    const message = tickMessage(source({ timezone: 'Asia/Tokyo' }), new Date('2026-11-27T15:00:00Z'));
    expect(message.payload).toMatchObject({ refDate: '2026-11-28', requestId: 'daily-20261127T150000Z' });
  });

  it('keeps a requestId and refDate the payload sets', () => {
    const message = tickMessage(source({ payload: { period: 'week', requestId: 'fixed', refDate: '2026-01-01' } }), new Date('2026-11-28T00:00:00Z'));
    expect(message.payload).toEqual({ period: 'week', requestId: 'fixed', refDate: '2026-01-01' });
  });

  it('sends other subjects as configured', () => {
    const payload = { to: ['ops@example.com'], template: 'digest', data: {} };
    expect(tickMessage(source({ subject: 'mail.send', payload }), new Date('2026-11-28T08:00:00Z'))).toEqual({
      subject: 'mail.send',
      payload,
      msgId: 'schedule:daily:2026-11-28T08:00:00.000Z',
    });
  });

  it('compacts a tick time to a basic-format UTC stamp', () => {
    expect(compactUtc(new Date('2026-01-05T09:30:00Z'))).toBe('20260105T093000Z');
  });
});
