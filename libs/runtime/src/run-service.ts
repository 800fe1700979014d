/**
 * The process wiring every service's `main.ts` shares: config parsed once, logger, per-task log
 * files, the bus, graceful stop on SIGTERM/SIGINT or when the launcher that started it is gone,
 * and a loud exit on a crash.
 */
import { commonEnv, loadConfig } from '@hotrepos/config';
import { createLogger, createTaskLoggers, type Logger, type TaskLoggers } from '@hotrepos/logging';
import { z } from 'zod';
import { createErrorReporter, type ErrorReporter } from './error-reporter.js';
import { connectTransport, createHotBus, type HotBus } from './hot-bus.js';
import { exitUnlessStoppedWithin, whenParentGone } from './parent-gone.js';

export interface ServiceDeps<C> {
  readonly config: C;
  readonly bus: HotBus;
  readonly logger: Logger;
  readonly tasks: TaskLoggers;
  /** Publishes this service's failures on `errors.report` (a no-op when `reportErrors` is false). */
  readonly errors: ErrorReporter;
}

export interface RunningService {
  /** Stops taking work and waits for work in progress. */
  stop(): Promise<void>;
}

export interface ServiceDefinition<C> {
  readonly name: string;
  /**
   * Whether this service's failures are published on `errors.report`. Only the mailer says no:
   * its own failures are logged, never mailed, so a broken mailer cannot feed itself.
   */
  readonly reportErrors?: boolean;
  /** The app's own settings, parsed by its `config.ts`; the common ones (`NATS_URL`, `LOG_LEVEL`, `LOG_DIR`) are read here. */
  readonly config: C;
  readonly start: (deps: ServiceDeps<C>) => Promise<RunningService>;
}

const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
/**
 * How long a service whose launcher is gone may drain. Work cut short is not lost: a message is
 * acknowledged only once handled, so the broker delivers it again.
 */
const PARENT_GONE_DRAIN_MS = 5_000;

export async function runService<C>(def: ServiceDefinition<C>): Promise<void> {
  const common = loadConfig(z.object(commonEnv));
  const { config } = def;
  const service = common.SERVICE_NAME ?? def.name;
  const logger = createLogger({ service, level: common.LOG_LEVEL, pretty: process.stdout.isTTY === true });
  const reportErrors = def.reportErrors ?? true;
  // Filled once connected: a crash before that can only be logged.
  const connected: { bus?: HotBus } = {};
  const reporter = createErrorReporter({ service, bus: () => (reportErrors ? connected.bus : undefined), logger });
  let crashing = false;
  const crash = async (err: unknown, origin: string) => {
    if (crashing) return;
    crashing = true;
    logger.fatal({ err, origin }, 'crashed');
    await reporter.crash(err, origin);
    process.exit(1);
  };
  process.on('uncaughtException', (err) => void crash(err, 'uncaughtException'));
  process.on('unhandledRejection', (err) => void crash(err, 'unhandledRejection'));
  // Watched from the start: a launcher may die while this service still connects to a broker that died with it.
  const parentGone = whenParentGone().then(() => {
    logger.warn({ deadlineMs: PARENT_GONE_DRAIN_MS }, 'the process that started this service is gone');
    exitUnlessStoppedWithin(PARENT_GONE_DRAIN_MS, logger);
  });

  const tasks = createTaskLoggers({ service, logDir: common.LOG_DIR, base: logger });
  const natsUrl = common.NATS_URL ?? DEFAULT_NATS_URL;
  const transport = await connectTransport({ service, natsUrl, logger, replicas: common.NATS_REPLICAS });
  const bus = await createHotBus(transport, { service, logger, onDeadLetter: (event) => reporter.deadLetter(event) });
  connected.bus = bus;
  const running = await def.start({ config, bus, logger, tasks, errors: reporter });
  logger.info({ natsUrl: natsUrl.replace(/\/\/[^@/]*@/, '//***@') }, 'started');

  let stopping = false;
  const stop = async (why: { signal: NodeJS.Signals } | { parent: 'gone' }) => {
    if (stopping) return;
    stopping = true;
    logger.info(why, 'stopping');
    await running.stop();
    await bus.stop();
    await transport.close();
    await tasks.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop({ signal: 'SIGTERM' }));
  process.once('SIGINT', () => void stop({ signal: 'SIGINT' }));
  void parentGone.then(() => stop({ parent: 'gone' }));
}
