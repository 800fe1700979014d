/**
 * The mailer, built from its dependencies so tests can start it against a real nats-server and a
 * real SMTP server.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_BACKOFF, type Subscription } from '@hotrepos/bus';
import { Subjects } from '@hotrepos/contracts';
import type { Logger, TaskLoggers } from '@hotrepos/logging';
import type { HotBus, RunningService } from '@hotrepos/runtime';
import { runInScope } from '@hotrepos/scope';
import type { MailerConfig } from './config.js';
import { createErrorDigester } from './digest/error-digester.js';
import { sendDigest } from './digest/send-digest.js';
import { handleErrorReport } from './handlers/error-report.js';
import { handleMailSend } from './handlers/mail-send.js';
import { mailLocale } from './locale.js';
import { createMailTransport } from './mail-transport.js';
import type { MailerContext } from './mailer-context.js';

/** Handlers for reports counted and acknowledged at once, beside those held for their digest. */
const RELEASING_HANDLERS = 64;
/**
 * The server's cap on unacknowledged error reports, every replica together: far above what the
 * replicas hold (each bounds itself by its concurrency), so one replica's held window never stops
 * deliveries to another, as NATS's default of 1,000 would.
 */
const ERRORS_MAX_ACK_PENDING = 100_000;
// A digest stays readable; reports under further fingerprints are counted in one line.
const MAX_DIGEST_FINGERPRINTS = 50;

export interface MailerDeps {
  readonly bus: HotBus;
  readonly logger: Logger;
  readonly tasks?: TaskLoggers;
  readonly config: MailerConfig;
  readonly now?: () => Date;
}

export async function startMailer({ bus, logger, tasks, config, now = () => new Date() }: MailerDeps): Promise<RunningService> {
  const log = (task: string) => tasks?.forTask(task) ?? logger.child({ task });
  const retry = { initialMs: config.MAILER_RETRY_INITIAL, maxMs: Math.max(config.MAILER_RETRY_INITIAL, DEFAULT_BACKOFF.maxMs) };
  const transport = createMailTransport({ url: config.SMTP_URL, from: config.MAIL_FROM, connections: config.MAILER_CONCURRENCY });
  const stopping = new AbortController();
  const admins = config.ADMINS;
  const app: MailerContext = {
    transport,
    digests:
      admins.length === 0
        ? undefined
        : createErrorDigester({
            windowMs: config.ERROR_DIGEST_WINDOW,
            maxFingerprints: MAX_DIGEST_FINGERPRINTS,
            maxHeld: config.ERROR_DIGEST_MAX_HELD,
            now,
            // A scope of its own: the window's timer would otherwise carry the scope of the first error's message into the digest's log lines.
            send: (digest) =>
              runInScope({ correlationId: `digest-${randomUUID()}` }, () =>
                sendDigest({ transport, admins, locale: mailLocale(config.ADMIN_LOCALE), retry, stopping: stopping.signal, log: log('digest') }, digest),
              ),
          }),
    log,
  };

  let subscriptions: Subscription[];
  try {
    subscriptions = await Promise.all([
      bus.consume(Subjects.MailSend, (mail, ctx) => handleMailSend(app, mail, ctx), {
        concurrency: config.MAILER_CONCURRENCY,
        maxDeliver: config.MAILER_MAX_DELIVER,
        ackWaitMs: config.MAILER_ACK_WAIT,
        backoff: retry,
      }),
      // A held report keeps its handler until the window's digest is out: room for every held one and for those released at once.
      bus.consume(Subjects.ErrorsReport, (report, ctx) => handleErrorReport(app, report, ctx), {
        concurrency: config.ERROR_DIGEST_MAX_HELD + RELEASING_HANDLERS,
        ackWaitMs: config.MAILER_ACK_WAIT,
        maxDeliver: config.ERROR_DIGEST_MAX_DELIVER,
        backoff: retry,
        maxAckPending: ERRORS_MAX_ACK_PENDING,
      }),
    ]);
  } catch (err) {
    transport.close();
    throw err;
  }
  logger.info({ smtpHost: new URL(config.SMTP_URL).host, from: config.MAIL_FROM, admins: admins.length, digestWindowMs: config.ERROR_DIGEST_WINDOW }, 'mailer ready');

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        // No more pulls; the handlers still running end as their mails and digests do. A digest waiting to retry
        // makes its last attempt now and the open window is sent now, since its reports' handlers wait for it.
        const subscriptionsStopped = Promise.all(subscriptions.map((s) => s.stop()));
        stopping.abort();
        await app.digests?.flush();
        await subscriptionsStopped;
        transport.close();
      })();
      return stopped;
    },
  };
}
