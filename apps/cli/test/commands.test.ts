/**
 * The commands in process against a real nats-server: validation, exit codes, status, schedules,
 * and dead letters listed and replayed. The full pipeline runs in report.e2e.test.ts.
 */
import { NatsTransport } from '@hotrepos/bus';
import { dlqSubject, HeaderNames, Subjects, type DeadLetter, type ReportStatus } from '@hotrepos/contracts';
import { ReportStatusStore } from '@hotrepos/reports';
import { createHotBus, type HotBus } from '@hotrepos/runtime';
import { captureSubject, startNatsServer, waitFor, type NatsServer } from '@hotrepos/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { dlqListCommand } from '../src/commands/dlq-list.js';
import { dlqReplayCommand } from '../src/commands/dlq-replay.js';
import { reportCommand } from '../src/commands/report.js';
import { schedulesCommand, type ScheduleView } from '../src/commands/schedules.js';
import { statusCommand } from '../src/commands/status.js';
import { ExitCode } from '../src/exit-codes.js';
import { closedPort, memoryIo } from './memory-io.js';

const encoder = new TextEncoder();

describe('hotrepos commands', () => {
  let server: NatsServer;
  let transport: NatsTransport;
  let bus: HotBus;
  let nats: string;
  let unreachable: string;

  beforeAll(async () => {
    server = await startNatsServer();
    nats = server.url;
    unreachable = `nats://127.0.0.1:${await closedPort()}`;
    transport = await NatsTransport.connect({ servers: nats, name: 'cli-test' });
    bus = await createHotBus(transport, { service: 'cli-test' });
  });

  afterAll(async () => {
    await bus?.stop();
    await transport?.close();
    await server?.stop();
  });

  describe('report', () => {
    // An unreachable broker proves validation happens before any connection: it would be exit 4 otherwise.
    it('rejects a bad period and an impossible date with exit 2, naming the flags', async () => {
      const io = memoryIo();
      expect(await reportCommand({ nats: unreachable, period: 'weekly', date: '2026-02-30' }, io)).toBe(ExitCode.Usage);
      expect(io.stderr()).toContain('--period "weekly": Invalid option: expected one of "day"|"week"|"month"');
      expect(io.stderr()).toContain('--date "2026-02-30": Invalid ISO date');
      expect(io.stdout()).toBe('');
    });

    it('rejects a bad address, a bad timeout and a missing period', async () => {
      const notify = memoryIo();
      expect(await reportCommand({ nats: unreachable, period: 'day', notify: ['ok@example.com', 'nope'] }, notify)).toBe(ExitCode.Usage);
      expect(notify.stderr()).toContain('--notify "nope"');
      const timeout = memoryIo();
      expect(await reportCommand({ nats: unreachable, period: 'day', wait: true, timeout: 'soon' }, timeout)).toBe(ExitCode.Usage);
      expect(timeout.stderr()).toContain('--timeout: expected a duration');
      const missing = memoryIo();
      expect(await runCli(['report', '--nats', unreachable], missing, {})).toBe(ExitCode.Usage);
      expect(missing.stderr()).toContain('--period: Invalid option');
    });

    it('gives the usage error as JSON with --json', async () => {
      const io = memoryIo();
      expect(await reportCommand({ nats: unreachable, period: 'year', json: true }, io)).toBe(ExitCode.Usage);
      expect(io.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'CLI_USAGE', message: expect.stringContaining('--period') });
    });

    it('publishes a valid request and prints its reportId', async () => {
      const capture = await captureSubject(nats, Subjects.ReportsRequest);
      try {
        const io = memoryIo();
        const code = await reportCommand({ nats, period: 'week', date: '2026-11-27', locale: 'de', notify: ['a@example.com'], requestId: 'cli-publish-1', json: true }, io);
        expect(code).toBe(ExitCode.Ok);
        expect(io.json()).toEqual({ reportId: 'cli-publish-1', duplicate: false });
        await waitFor(() => capture.messages.length === 1, { what: 'the request on reports.request' });
        expect(capture.payloads()[0]).toMatchObject({ requestId: 'cli-publish-1', period: 'week', refDate: '2026-11-27', locale: 'de', notify: ['a@example.com'] });
        expect(capture.messages[0]?.headers[HeaderNames.MsgId]).toEqual(['cli-publish-1']);
      } finally {
        await capture.stop();
      }
    });

    it('gives up waiting after --timeout with exit 5', async () => {
      // Nothing handles requests here, so the report never gets a status.
      const io = memoryIo();
      const started = Date.now();
      expect(await reportCommand({ nats, period: 'day', wait: true, timeout: '300ms' }, io)).toBe(ExitCode.Timeout);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(io.stderr()).toMatch(/not finished after 300 ms: no status seen/);
    });
  });

  describe('nothing picks the request up', () => {
    it('says that nothing has picked the request up, naming the URL without its password, and waits on until --timeout', async () => {
      // This server asks for no credentials and ignores them: they are here to be masked.
      const withPassword = nats.replace('nats://', 'nats://alice:s3cret@');
      const io = memoryIo();
      const code = await reportCommand({ nats: withPassword, period: 'day', requestId: 'cli-nobody', wait: true, timeout: '2s', noPickupHintAfterMs: 50 }, io);
      expect(code, io.stderr()).toBe(ExitCode.Timeout);
      const masked = nats.replace('nats://', 'nats://alice:***@');
      expect(io.stderr()).toBe(
        `nothing has picked up report cli-nobody after 50ms: are the hotrepos services (the aggregator) running against NATS at ${masked}? Still waiting, up to --timeout 2s\n` +
          'hotrepos: report cli-nobody not finished after 2000 ms: no status seen\n',
      );
    });

    it('shows the default NATS URL in --help, and NATS_URL without its secrets', async () => {
      const io = memoryIo();
      expect(await runCli(['report', '--help'], io, {})).toBe(ExitCode.Ok);
      expect(io.stdout().replace(/\s+/g, ' ')).toContain('--nats <url> NATS server, or a comma-separated list (default: NATS_URL, else nats://127.0.0.1:4222)');
      const fromEnv = memoryIo();
      expect(await runCli(['status', '--help'], fromEnv, { NATS_URL: 'nats://alice:s3cret@nats.example:4222,tls://t0ken@nats2.example:4222' })).toBe(ExitCode.Ok);
      expect(fromEnv.stdout().replace(/\s+/g, ' ')).toContain('(default: NATS_URL=nats://alice:***@nats.example:4222,tls://***@nats2.example:4222)');
      expect(fromEnv.stdout()).not.toMatch(/s3cret|t0ken/);
    });
  });

  describe('NATS unreachable', () => {
    it('fails fast with exit 4, naming the URL', async () => {
      for (const run of [(io: ReturnType<typeof memoryIo>) => statusCommand({ nats: unreachable, reportId: 'r1' }, io), (io: ReturnType<typeof memoryIo>) => reportCommand({ nats: unreachable, period: 'day' }, io)]) {
        const io = memoryIo();
        const started = Date.now();
        expect(await run(io)).toBe(ExitCode.NatsUnreachable);
        expect(Date.now() - started).toBeLessThan(3_500);
        expect(io.stderr()).toContain(`cannot use NATS at ${unreachable}`);
      }
    });

    it('says so in JSON with --json', async () => {
      const io = memoryIo();
      expect(await dlqListCommand({ nats: unreachable, json: true }, io)).toBe(ExitCode.NatsUnreachable);
      expect(io.json<{ error: { code: string } }>().error.code).toBe('NATS_UNREACHABLE');
    });
  });

  describe('status', () => {
    const known: ReportStatus = { reportId: 'cli-known', state: 'fetching', pagesDone: 2, pagesTotal: 5, period: 'week', since: '2026-11-20', updatedAt: '2026-11-27T12:00:00.000Z' };

    beforeAll(async () => {
      await (await ReportStatusStore.open(transport)).create(known);
    });

    it('prints a known report', async () => {
      const io = memoryIo();
      expect(await statusCommand({ nats, reportId: 'cli-known' }, io)).toBe(ExitCode.Ok);
      expect(io.stdout()).toBe('report cli-known: fetching 2/5 pages, week since 2026-11-20, updated 2026-11-27T12:00:00.000Z\n');
      const json = memoryIo();
      expect(await statusCommand({ nats, reportId: 'cli-known', json: true }, json)).toBe(ExitCode.Ok);
      expect(json.json()).toEqual(known);
    });

    it('exits 3 for an unknown report and 2 for a malformed id', async () => {
      const unknown = memoryIo();
      expect(await statusCommand({ nats, reportId: 'cli-unknown' }, unknown)).toBe(ExitCode.NotFound);
      expect(unknown.stderr()).toContain('no report cli-unknown');
      const malformed = memoryIo();
      expect(await statusCommand({ nats, reportId: 'a b' }, malformed)).toBe(ExitCode.Usage);
    });
  });

  describe('schedules', () => {
    const schedules = JSON.stringify([{ name: 'weekly', cron: '0 6 * * 1', timezone: 'Europe/Berlin', subject: 'reports.request', payload: { period: 'week' } }]);
    const now = new Date('2026-11-27T12:00:00Z'); // a Friday

    beforeAll(async () => {
      const state = await transport.keyValue('scheduler-state');
      await state.put('weekly', encoder.encode(JSON.stringify({ lastTick: '2026-11-23T05:00:00.000Z', at: '2026-11-23T05:00:00.100Z' })));
      await state.put('retired', encoder.encode(JSON.stringify({ lastTick: '2026-10-01T00:00:00.000Z', at: '2026-10-01T00:00:00.000Z' })));
    });

    it('shows the last tick from the bucket and the next runs from SCHEDULES', async () => {
      const io = memoryIo();
      expect(await schedulesCommand({ nats, json: true, schedules, now }, io)).toBe(ExitCode.Ok);
      expect(io.json<ScheduleView[]>()).toEqual([
        {
          name: 'weekly',
          cron: '0 6 * * 1',
          timezone: 'Europe/Berlin',
          subject: 'reports.request',
          lastTick: '2026-11-23T05:00:00.000Z',
          // 06:00 in Berlin is 05:00 UTC in winter.
          next: ['2026-11-30T05:00:00.000Z', '2026-12-07T05:00:00.000Z', '2026-12-14T05:00:00.000Z'],
        },
        { name: 'retired', cron: null, timezone: null, subject: null, lastTick: '2026-10-01T00:00:00.000Z', next: [] },
      ]);
    });

    it('prints them for a person, and the default schedule without SCHEDULES', async () => {
      const io = memoryIo();
      expect(await runCli(['schedules', '--nats', nats], io, { SCHEDULES: schedules })).toBe(ExitCode.Ok);
      expect(io.stdout()).toContain('weekly: 0 6 * * 1 (Europe/Berlin) → reports.request\n  last tick  2026-11-23T05:00:00.000Z\n  next       ');
      expect(io.stdout()).toContain('retired: recorded by the scheduler, not in SCHEDULES\n  last tick  2026-10-01T00:00:00.000Z\n');
      const defaults = memoryIo();
      expect(await schedulesCommand({ nats, schedules: '', now }, defaults)).toBe(ExitCode.Ok);
      expect(defaults.stdout()).toContain('daily-report: 0 0 * * * (UTC) → reports.request\n  last tick  -\n  next       2026-11-28T00:00:00.000Z,');
    });

    it('exits 2 for SCHEDULES the scheduler would refuse', async () => {
      const io = memoryIo();
      expect(await schedulesCommand({ nats, schedules: '[{"name":"x","cron":"61 * * * *","subject":"reports.request"}]' }, io)).toBe(ExitCode.Usage);
      expect(io.stderr()).toContain('SCHEDULES: schedule "x"');
    });
  });

  describe('dlq', () => {
    type Listed = { total: number; deadLetters: (DeadLetter & { seq: number; dlqSubject: string; problem?: string })[] };
    const list = async (subject?: string) => {
      const io = memoryIo();
      expect(await dlqListCommand({ nats, json: true, ...(subject ? { subject } : {}) }, io)).toBe(ExitCode.Ok);
      return io.json<Listed>();
    };
    const bad = (n: number) => encoder.encode(`{"period":"fortnight","requestId":"bad-${n}"}`);

    beforeAll(async () => {
      // A consumer of reports.request: the bus dead-letters what violates the contract, in its own format.
      const consumer = await bus.consume(Subjects.ReportsRequest, async () => undefined, { durable: 'cli-test-requests' });
      for (const n of [1, 2]) {
        // Published raw, past the contract check a bus publish would make, with headers the replay must keep.
        await transport.publish(Subjects.ReportsRequest, bad(n), { msgId: `bad-${n}`, headers: { [HeaderNames.CorrelationId]: `corr-${n}`, [HeaderNames.Locale]: 'de' } });
      }
      await waitFor(async () => (await list(Subjects.ReportsRequest)).total === 2, { what: 'two dead letters on dlq.reports.request' });
      await consumer.stop();
      // And one that no bus wrote.
      await transport.publish(dlqSubject(Subjects.MailSend), encoder.encode('{}'));
    });

    it('lists dead letters with seq, subject, reason, error, deadAt and deliveries', async () => {
      const { total, deadLetters } = await list(Subjects.ReportsRequest);
      expect(total).toBe(2);
      expect(deadLetters[0]).toMatchObject({
        dlqSubject: 'dlq.reports.request',
        subject: 'reports.request',
        reason: 'contract-violation',
        error: expect.stringContaining('period'),
        deliveries: 1,
        deadAt: expect.any(String),
        headers: { [HeaderNames.CorrelationId]: ['corr-1'], [HeaderNames.MsgId]: ['bad-1'] },
      });
      expect(Buffer.from(deadLetters[0]!.data, 'base64')).toEqual(Buffer.from(bad(1)));

      const all = await list();
      expect(all.total).toBe(3);
      expect(all.deadLetters[2]).toMatchObject({ dlqSubject: 'dlq.mail.send', problem: expect.stringContaining('not a dead letter of the bus') });

      const io = memoryIo();
      expect(await runCli(['dlq', 'list', 'reports.request', '--limit', '1', '--nats', nats], io, {})).toBe(ExitCode.Ok);
      expect(io.stdout()).toMatch(new RegExp(`^#${deadLetters[0]!.seq} reports\\.request  contract-violation  dead at \\S+  after 1 delivery\\n  reports\\.request: `));
      expect(io.stderr()).toContain('1 more on dlq.reports.request; raise --limit to see them');
    });

    it('replays one dead letter with its original bytes and headers, and removes it from the DLQ', async () => {
      const [first] = (await list(Subjects.ReportsRequest)).deadLetters;
      const capture = await captureSubject(nats, Subjects.ReportsRequest);
      try {
        const io = memoryIo();
        expect(await dlqReplayCommand({ nats, subject: 'reports.request', seq: first!.seq }, io)).toBe(ExitCode.Ok);
        expect(io.stdout()).toMatch(new RegExp(`^replayed #${first!.seq} to reports\\.request \\(REPORTS seq \\d+\\)\\n$`));
        // Within the duplicate window of the original publish (msg id bad-1), and still stored: not taken for a duplicate.
        await waitFor(() => capture.messages.length === 1, { what: 'the replay on reports.request' });
        const replayed = capture.messages[0]!;
        expect(Buffer.from(replayed.data)).toEqual(Buffer.from(bad(1)));
        expect(replayed.headers[HeaderNames.CorrelationId]).toEqual(['corr-1']);
        expect(replayed.headers[HeaderNames.Locale]).toEqual(['de']);
        expect(Object.keys(replayed.headers).filter((name) => name.startsWith('dlq-'))).toEqual([]);
        expect(replayed.headers[HeaderNames.MsgId]?.[0]).toMatch(new RegExp(`^dlq-replay:${first!.seq}:`));

        const { total, deadLetters } = await list(Subjects.ReportsRequest);
        expect(total).toBe(1);
        expect(deadLetters.map((d) => d.seq)).not.toContain(first!.seq);

        const again = memoryIo();
        expect(await dlqReplayCommand({ nats, subject: 'reports.request', seq: first!.seq }, again)).toBe(ExitCode.NotFound);
      } finally {
        await capture.stop();
      }
    });

    it('replays every dead letter of a subject with --all, skipping what it cannot read', async () => {
      const io = memoryIo();
      expect(await runCli(['dlq', 'replay', 'reports.request', '--all', '--json', '--nats', nats], io, {})).toBe(ExitCode.Ok);
      expect(io.json<{ replayed: { subject: string; duplicate: boolean }[] }>().replayed).toEqual([expect.objectContaining({ subject: 'reports.request', duplicate: false })]);
      expect((await list(Subjects.ReportsRequest)).total).toBe(0);

      const mail = memoryIo();
      expect(await dlqReplayCommand({ nats, subject: 'mail.send', all: true }, mail)).toBe(ExitCode.Failed);
      expect(mail.stderr()).toMatch(/^skipped #\d+ on dlq\.mail\.send: not a dead letter of the bus/);
      expect((await list(Subjects.MailSend)).total).toBe(1);
    });

    it('wants exactly one of --seq and --all', async () => {
      expect(await dlqReplayCommand({ nats, subject: 'reports.request' }, memoryIo())).toBe(ExitCode.Usage);
      expect(await dlqReplayCommand({ nats, subject: 'reports.request', seq: 1, all: true }, memoryIo())).toBe(ExitCode.Usage);
    });
  });
});
