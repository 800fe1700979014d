/**
 * Scheduler replicas against a real nats-server, with a manual clock: one message per tick however
 * many replicas run, time zones, one catch-up after downtime, none at a first start, and stop().
 */
import { Subjects, type ReportRequest } from '@hotrepos/contracts';
import type { HotBus } from '@hotrepos/runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, summary, type Harness } from './harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const everyMinute = { name: 'every-minute', cron: '* * * * *', subject: 'reports.request', payload: { period: 'day', pages: 1 } };
const daily = { name: 'daily', cron: '0 0 * * *', subject: 'reports.request', payload: { period: 'day' } };
const encoder = new TextEncoder();

describe('scheduler', () => {
  let harness: Harness;
  afterEach(async () => {
    await harness.close();
  });

  const published = () => harness.logs().filter((line) => line.msg === 'tick published');
  const errors = () => harness.logs().filter((line) => line.level >= 50);

  it('two replicas publish exactly one request per tick', async () => {
    harness = await startHarness('2026-11-28T10:00:30Z');
    await harness.startReplica({ schedules: [everyMinute] });
    await harness.startReplica({ schedules: [everyMinute] });
    expect(await harness.settled(2)).toEqual([]);

    harness.clock.advance(30_000);
    await harness.settled(2);
    harness.clock.advance(MINUTE);
    await harness.settled(2);
    harness.clock.advance(MINUTE);
    const stored = await harness.settled(2);

    expect(stored.map(summary)).toEqual(
      ['10:01', '10:02', '10:03'].map((hm) => {
        const compact = hm.replace(':', '');
        return {
          payload: { period: 'day', pages: 1, requestId: `every-minute-20261128T${compact}00Z`, refDate: '2026-11-28' },
          msgId: `schedule:every-minute:2026-11-28T${hm}:00.000Z`,
        };
      }),
    );
    // Whichever replica lost a race got a duplicate ack or found the tick recorded; exactly one stored each.
    expect(published().filter((line) => line.duplicate === false)).toHaveLength(3);
    expect(await harness.readState('every-minute')).toMatchObject({ lastTick: '2026-11-28T10:03:00.000Z' });
    expect(errors()).toEqual([]);
  });

  it('runs the default schedule, a daily report at midnight UTC on the day that begins', async () => {
    harness = await startHarness('2026-11-27T23:59:00Z');
    await harness.startReplica();
    await harness.settled(1);
    expect(harness.clock.sleepers).toEqual([new Date('2026-11-28T00:00:00Z')]);

    harness.clock.advance(MINUTE);
    const stored = await harness.settled(1);
    expect(stored.map(summary)).toEqual([
      {
        payload: { period: 'day', requestId: 'daily-report-20261128T000000Z', refDate: '2026-11-28' },
        msgId: 'schedule:daily-report:2026-11-28T00:00:00.000Z',
      },
    ]);
  });

  it('reads cron fields in the schedule time zone: 09:00 in Berlin is 08:00Z in winter', async () => {
    harness = await startHarness('2026-01-15T07:59:00Z');
    await harness.startReplica({ schedules: [{ ...daily, name: 'berlin', cron: '0 9 * * *', timezone: 'Europe/Berlin' }] });
    await harness.settled(1);
    expect(harness.clock.sleepers).toEqual([new Date('2026-01-15T08:00:00Z')]);

    harness.clock.advance(MINUTE);
    const stored = await harness.settled(1);
    expect(stored.map((m) => m.json)).toEqual([{ period: 'day', requestId: 'berlin-20260115T080000Z', refDate: '2026-01-15' }]);
  });

  it('logs the next run times of every schedule at start, with their offsets', async () => {
    harness = await startHarness('2026-03-27T12:00:00Z');
    await harness.startReplica({
      schedules: [
        { ...daily, name: 'berlin', cron: '0 9 * * *', timezone: 'Europe/Berlin' },
        { ...daily, name: 'utc', cron: '30 6 * * 1' },
      ],
    });
    const loaded = harness.logs().filter((line) => line.msg.startsWith('schedule '));
    expect(loaded.map(({ schedule, cron, timezone, subject, next }) => ({ schedule, cron, timezone, subject, next }))).toEqual([
      {
        schedule: 'berlin',
        cron: '0 9 * * *',
        timezone: 'Europe/Berlin',
        subject: 'reports.request',
        // Summer time begins on 2026-03-29.
        next: ['2026-03-28T09:00:00+01:00', '2026-03-29T09:00:00+02:00', '2026-03-30T09:00:00+02:00'],
      },
      { schedule: 'utc', cron: '30 6 * * 1', timezone: 'UTC', subject: 'reports.request', next: ['2026-03-30T06:30:00+00:00', '2026-04-06T06:30:00+00:00', '2026-04-13T06:30:00+00:00'] },
    ]);
  });

  it('after downtime runs the missed daily report once, then keeps to the schedule', async () => {
    harness = await startHarness('2026-11-28T12:00:00Z');
    await harness.state.put('daily', encoder.encode(JSON.stringify({ lastTick: '2026-11-25T00:00:00.000Z', at: '2026-11-25T00:00:02.000Z' })));
    await harness.startReplica({ schedules: [daily] });
    await harness.startReplica({ schedules: [daily] });

    const caughtUp = await harness.settled(2);
    expect(caughtUp.map(summary)).toEqual([{ payload: { period: 'day', requestId: 'daily-20261128T000000Z', refDate: '2026-11-28' }, msgId: 'schedule:daily:2026-11-28T00:00:00.000Z' }]);
    expect(await harness.readState('daily')).toEqual({ lastTick: '2026-11-28T00:00:00.000Z', at: '2026-11-28T12:00:00.000Z' });
    expect(published().find((line) => line.duplicate === false)).toMatchObject({ lastTick: '2026-11-25T00:00:00.000Z', lateMs: 12 * HOUR });

    harness.clock.advance(12 * HOUR);
    const stored = await harness.settled(2);
    expect(stored.map((m) => (m.json as ReportRequest).requestId)).toEqual(['daily-20261128T000000Z', 'daily-20261129T000000Z']);
  });

  it('fires no catch-up at a first start, and records when it began', async () => {
    harness = await startHarness('2026-11-28T12:00:00Z');
    await harness.startReplica({ schedules: [daily] });
    await harness.startReplica({ schedules: [daily] });
    expect(await harness.settled(2)).toEqual([]);
    expect(await harness.readState('daily')).toEqual({ lastTick: '2026-11-28T12:00:00.000Z', at: '2026-11-28T12:00:00.000Z' });
    expect(harness.clock.sleepers).toEqual([new Date('2026-11-29T00:00:00Z'), new Date('2026-11-29T00:00:00Z')]);
  });

  it('a tick another replica published but did not record is acknowledged as a duplicate and stored once', async () => {
    harness = await startHarness('2026-11-28T10:01:30Z');
    await harness.state.put('every-minute', encoder.encode(JSON.stringify({ lastTick: '2026-11-28T10:00:00.000Z', at: '2026-11-28T10:00:00.000Z' })));
    // As a replica that crashed between its publish and its state update would have left it.
    await harness.client.publish(
      Subjects.ReportsRequest,
      { period: 'day', pages: 1, requestId: 'every-minute-20261128T100100Z', refDate: '2026-11-28' },
      { msgId: 'schedule:every-minute:2026-11-28T10:01:00.000Z' },
    );
    await harness.startReplica({ schedules: [everyMinute] });

    expect(await harness.settled(1)).toHaveLength(1);
    expect(published()).toEqual([
      expect.objectContaining({ schedule: 'every-minute', tick: '2026-11-28T10:01:00.000Z', msgId: 'schedule:every-minute:2026-11-28T10:01:00.000Z', duplicate: true }),
    ]);
    expect(await harness.readState('every-minute')).toMatchObject({ lastTick: '2026-11-28T10:01:00.000Z' });
  });

  it('retries after a state it cannot read, and starts afresh once the key is removed', async () => {
    harness = await startHarness('2026-11-28T12:00:00Z');
    await harness.state.put('daily', encoder.encode('{"lastTick":"yesterday"}'));
    await harness.startReplica({ schedules: [daily] });
    await harness.settled(1);
    expect(errors()).toEqual([expect.objectContaining({ schedule: 'daily', msg: 'tick failed; will try again', err: expect.objectContaining({ code: 'SCHEDULER_STATE_INVALID' }) })]);
    expect(harness.clock.sleepers).toEqual([new Date('2026-11-28T12:00:10Z')]);

    await harness.state.delete('daily');
    harness.clock.advance(10_000);
    expect(await harness.settled(1)).toEqual([]);
    expect(await harness.readState('daily')).toMatchObject({ lastTick: '2026-11-28T12:00:10.000Z' });
  });

  it('stop() ends the sleep at once and waits for a publish in flight', async () => {
    harness = await startHarness('2026-11-28T10:00:30Z');
    let entered!: () => void;
    const publishing = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holdPublish = (bus: HotBus): HotBus => ({
      ...bus,
      async publish(subject, payload, opts) {
        entered();
        await held;
        return bus.publish(subject, payload, opts);
      },
    });
    const replica = await harness.startReplica({ schedules: [everyMinute], wrapBus: holdPublish });
    await harness.settled(1);
    harness.clock.advance(30_000);
    await publishing;

    let stopped = false;
    const stopping = replica.stop().then(() => (stopped = true));
    await sleep(200);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(harness.clock.sleepers).toEqual([]);
    expect((await harness.settled(0)).map((m) => m.headers['Nats-Msg-Id']?.[0])).toEqual(['schedule:every-minute:2026-11-28T10:01:00.000Z']);
    expect(await harness.readState('every-minute')).toMatchObject({ lastTick: '2026-11-28T10:01:00.000Z' });
  });

  it('stop() returns promptly while the replica sleeps', async () => {
    harness = await startHarness('2026-11-28T12:00:00Z');
    const replica = await harness.startReplica({ schedules: [daily] });
    await harness.settled(1);
    await replica.stop();
    expect(harness.clock.sleepers).toEqual([]);
  });
});
