/**
 * A real nats-server and a real SMTP server with the mailer started against them, the test's
 * own bus to publish as another service would, and a capture of the mailer's dead letters.
 */
import { decodeDeadLetter, NatsTransport, type Transport } from '@hotrepos/bus';
import { parseConfig } from '@hotrepos/config';
import { dlqSubject, Subjects, type DeadLetter, type ErrorReport } from '@hotrepos/contracts';
import { createLogger } from '@hotrepos/logging';
import { createHotBus, type HotBus, type RunningService } from '@hotrepos/runtime';
import { startSmtpServer, type ReceivedMail, type SmtpTestServer } from '@hotrepos/smtp-testing';
import { captureSubject, startNatsServer, type Capture, type NatsServer } from '@hotrepos/testing';
import { startMailer } from '../src/app.js';
import { MailerEnv } from '../src/config.js';

export const ADMINS = ['admin@example.com', 'ops@example.com'];

export interface LogLine {
  readonly msg: string;
  readonly level: number;
  readonly [field: string]: unknown;
}

export interface Harness {
  readonly nats: NatsServer;
  readonly smtp: SmtpTestServer;
  /** The test's publisher: a bus of its own, as another service would have. */
  readonly client: HotBus;
  /** For bytes the typed bus would refuse to publish. */
  readonly transport: Transport;
  /** Every line the mailer and its bus logged. */
  readonly logs: LogLine[];
  /** Starts a mailer; `env` overrides the test defaults (this SMTP server, the admins, fast retries). */
  startMailer(env?: Record<string, string>): Promise<RunningService>;
  /** Dead letters of `mail.send` from now on, decoded. */
  deadLetters(): Promise<{ readonly letters: () => DeadLetter[]; readonly capture: Capture }>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const nats = await startNatsServer();
  const smtp = await startSmtpServer();
  const transports: Transport[] = [];
  const connect = async () => {
    const t = await NatsTransport.connect({ servers: nats.url, name: 'mailer-test' });
    transports.push(t);
    return t;
  };
  const transport = await connect();
  const client = await createHotBus(transport, { service: 'mailer-test' });
  const logs: LogLine[] = [];
  const logger = createLogger({ service: 'mailer', level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } });
  const running: RunningService[] = [];
  const buses: HotBus[] = [];
  const captures: Capture[] = [];

  return {
    nats,
    smtp,
    client,
    transport,
    logs,
    async startMailer(env = {}) {
      const config = parseConfig(MailerEnv, {
        SMTP_URL: smtp.url,
        ADMINS: ADMINS.join(','),
        ERROR_DIGEST_WINDOW: '500ms',
        MAILER_RETRY_INITIAL: '100ms',
        ...env,
      });
      const bus = await createHotBus(await connect(), { service: 'mailer', logger });
      buses.push(bus);
      const mailer = await startMailer({ bus, logger, config });
      running.push(mailer);
      return mailer;
    },
    async deadLetters() {
      const capture = await captureSubject(nats.url, dlqSubject(Subjects.MailSend));
      captures.push(capture);
      return { capture, letters: () => capture.messages.map((m) => decodeDeadLetter(m.data, m.headers)) };
    },
    async close() {
      for (const mailer of running) await mailer.stop();
      for (const bus of buses) await bus.stop();
      for (const capture of captures) await capture.stop();
      await client.stop();
      for (const t of transports) await t.close().catch(() => undefined);
      await smtp.stop();
      await nats.stop();
    },
  };
}

/** `errors.report` payloads as the runtime's reporter publishes them. */
export function errorReport(fingerprint: string, overrides: Partial<ErrorReport> = {}): ErrorReport {
  return {
    service: 'fetcher',
    subject: 'reports.fetch',
    message: `max-deliveries: reports.fetch: failed 5 times; last error: GitHub unavailable (${fingerprint})`,
    stack: `Error: GitHub unavailable\n    at fetchPage (github-search.ts:42:11)`,
    fingerprint,
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

/** The `<count> × <fingerprint>` lines of digests, summed per fingerprint over all of them. */
export function digestCounts(mails: readonly ReceivedMail[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const mail of mails) {
    for (const [, count, fingerprint] of mail.text.matchAll(/^(\d+) × (\S+) — /gm)) {
      counts[fingerprint!] = (counts[fingerprint!] ?? 0) + Number(count);
    }
  }
  return counts;
}

export const reportFile = (reportId: string) => ({
  name: `${reportId}.csv`,
  bytes: 12_345,
  sha256: 'a'.repeat(64),
  objectKey: `${reportId}/hot-repos.csv`,
  path: `/srv/media/${reportId}/hot-repos.csv`,
});
