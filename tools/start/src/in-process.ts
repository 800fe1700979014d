/**
 * Every service in this one process on the in-process transport, for a machine with neither a
 * NATS server nor `nats-server`. This is what each service's `main.ts` does through runService,
 * once per service and on one shared transport: a transport per service would be a broker per
 * service, and they would never hear each other.
 *
 * The launcher is the one project allowed to import apps (tag `type:launcher` in eslint.config.mjs):
 * it needs their `start*` functions and env schemas, exactly what their own `main.ts` files use.
 * Apps still never import each other.
 */
import { startAggregator } from '@hotrepos/aggregator/app';
import { AggregatorEnv } from '@hotrepos/aggregator/config';
import type { Transport } from '@hotrepos/bus';
import { loadConfig } from '@hotrepos/config';
import { startFetcher } from '@hotrepos/fetcher/app';
import { FetcherEnv } from '@hotrepos/fetcher/config';
import { startGateway } from '@hotrepos/gateway/app';
import { GatewayEnv } from '@hotrepos/gateway/config';
import { startImporter } from '@hotrepos/importer/app';
import { ImporterEnv } from '@hotrepos/importer/config';
import { createLogger, createTaskLoggers, type Logger, type LogLevel, type TaskLoggers } from '@hotrepos/logging';
import { startMailer } from '@hotrepos/mailer/app';
import { MailerEnv } from '@hotrepos/mailer/config';
import { connectTransport, createErrorReporter, createHotBus, type ErrorReporter, type HotBus, type RunningService } from '@hotrepos/runtime';
import { startScheduler } from '@hotrepos/scheduler/app';
import { SchedulerEnv } from '@hotrepos/scheduler/config';
import type { ServiceName } from './service-processes.js';

interface InProcessDeps {
  readonly bus: HotBus;
  readonly logger: Logger;
  readonly tasks: TaskLoggers;
  readonly errors: ErrorReporter;
}

interface InProcessService {
  readonly name: ServiceName;
  /** As in runService: the mailer's own failures are logged, never mailed. */
  readonly reportErrors: boolean;
  readonly start: (deps: InProcessDeps) => Promise<RunningService>;
}

/** Every app's settings parsed before any starts, so a bad variable stops start-up with nothing running. */
function inProcessServices(env: NodeJS.ProcessEnv): InProcessService[] {
  const aggregator = loadConfig(AggregatorEnv, env);
  const fetcher = loadConfig(FetcherEnv, env);
  const importer = loadConfig(ImporterEnv, env);
  const mailer = loadConfig(MailerEnv, env);
  const scheduler = loadConfig(SchedulerEnv, env);
  const gateway = loadConfig(GatewayEnv, env);
  return [
    { name: 'aggregator', reportErrors: true, start: (deps) => startAggregator({ ...deps, config: aggregator }) },
    { name: 'fetcher', reportErrors: true, start: (deps) => startFetcher({ ...deps, config: fetcher }) },
    { name: 'importer', reportErrors: true, start: (deps) => startImporter({ ...deps, config: importer }) },
    { name: 'mailer', reportErrors: false, start: (deps) => startMailer({ ...deps, config: mailer }) },
    { name: 'scheduler', reportErrors: true, start: (deps) => startScheduler({ ...deps, config: scheduler }) },
    { name: 'gateway', reportErrors: true, start: (deps) => startGateway({ ...deps, config: gateway }) },
  ];
}

export interface InProcessRun {
  /** The shared in-process transport, for a client in this process. */
  readonly transport: Transport;
  /** Drains every service, then closes the transport and the task log files. */
  stop(): Promise<void>;
}

export interface InProcessOptions {
  /** The services' environment; MEDIA_ROOT and the like are read from it as each app's `main.ts` would. */
  readonly env: NodeJS.ProcessEnv;
  readonly level: LogLevel;
  readonly logDir: string;
  readonly pretty: boolean;
  /** The launcher's own logger, for the transport's lines. */
  readonly logger: Logger;
}

export async function startInProcess({ env, level, logDir, pretty, logger: startLogger }: InProcessOptions): Promise<InProcessRun> {
  const services = inProcessServices(env);
  const transport = await connectTransport({ service: 'start', natsUrl: 'memory', logger: startLogger });
  const running: { service: RunningService; bus: HotBus; tasks: TaskLoggers }[] = [];
  for (const { name, reportErrors, start } of services) {
    const logger = createLogger({ service: name, level, pretty });
    const tasks = createTaskLoggers({ service: name, logDir, base: logger });
    // The reporter comes before the bus (it handles the bus's dead letters) and publishes on it once it exists.
    const connected: { bus?: HotBus } = {};
    const reporter = createErrorReporter({ service: name, bus: () => (reportErrors ? connected.bus : undefined), logger });
    const bus = await createHotBus(transport, { service: name, logger, onDeadLetter: (event) => reporter.deadLetter(event) });
    connected.bus = bus;
    running.push({ service: await start({ bus, logger, tasks, errors: reporter }), bus, tasks });
    logger.info({ natsUrl: 'memory' }, 'started');
  }

  return {
    transport,
    async stop() {
      await Promise.all(running.map((r) => r.service.stop()));
      await Promise.all(running.map((r) => r.bus.stop()));
      await transport.close();
      await Promise.all(running.map((r) => r.tasks.close()));
    },
  };
}
