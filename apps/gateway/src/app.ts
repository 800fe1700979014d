/**
 * The gateway, built from its dependencies: `buildGateway` returns the fastify app without
 * listening, so tests `inject` or listen on port 0; `startGateway` is what `main.ts` runs. It
 * talks to the services only through the bus: requests are published, statuses come from the
 * KV bucket and files from the object store.
 */
import { ObjectStores } from '@hotrepos/contracts';
import type { Logger } from '@hotrepos/logging';
import { ReportStatusStore } from '@hotrepos/reports';
import type { ErrorReporter, HotBus, RunningService } from '@hotrepos/runtime';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { GatewayConfig } from './config.js';
import { registerErrorReplies } from './error-replies.js';
import type { GatewayApp } from './gateway-app.js';
import type { GatewayContext } from './gateway-context.js';
import { IdempotencyKeys } from './idempotency.js';
import { PortInUseError } from './port-in-use-error.js';
import { resolvePublicDir } from './public-dir.js';
import { requestIdOf } from './request-id.js';
import { registerRequestScope } from './request-scope.js';
import { registerSecurityHeaders } from './security-headers.js';
import { createReportRoute } from './routes/create-report.js';
import { getReportRoute } from './routes/get-report.js';
import { healthRoutes } from './routes/health.js';
import { listReportsRoute } from './routes/list-reports.js';
import { reportEventsRoute } from './routes/report-events.js';
import { reportFileRoute } from './routes/report-file.js';
import { reportLanguagesRoute } from './routes/report-languages.js';
import { webPageRoutes } from './routes/web-page.js';

export type { GatewayApp } from './gateway-app.js';
export type { ErrorBody } from './error-replies.js';

export interface GatewayDeps {
  readonly bus: HotBus;
  readonly logger: Logger;
  readonly config: GatewayConfig;
  /** Where 5xx answers are reported (`errors.report`). */
  readonly errors: ErrorReporter;
  readonly now?: () => Date;
}

export async function buildGateway({ bus, logger, config, errors, now = () => new Date() }: GatewayDeps): Promise<GatewayApp> {
  const closing = new AbortController();
  const ctx: GatewayContext = {
    bus,
    statuses: await ReportStatusStore.open(bus.transport),
    idempotency: await IdempotencyKeys.open(bus.transport),
    reports: await bus.transport.objectStore(ObjectStores.Reports),
    config,
    errors,
    now,
    closing: closing.signal,
  };
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.GATEWAY_BODY_LIMIT,
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
  }).withTypeProvider<ZodTypeProvider>();
  // JSON only: fastify's default text/plain parser would turn a form post into a confusing 400.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Event streams never finish on their own; closing must end them or `close()` would wait forever.
  app.addHook('preClose', (done) => {
    closing.abort(new Error('gateway closing'));
    done();
  });

  registerSecurityHeaders(app);
  registerRequestScope(app);
  registerErrorReplies(app, ctx);
  healthRoutes(app, ctx);
  createReportRoute(app, ctx);
  listReportsRoute(app, ctx);
  getReportRoute(app, ctx);
  reportEventsRoute(app, ctx);
  reportFileRoute(app, ctx);
  reportLanguagesRoute(app, ctx);
  await webPageRoutes(app, resolvePublicDir(config.GATEWAY_PUBLIC_DIR));
  // Not `ready()` yet: a caller (a test) may still add routes before `listen` or `inject`.
  return app;
}

export async function startGateway(deps: GatewayDeps): Promise<RunningService> {
  const app = await buildGateway(deps);
  const { GATEWAY_PORT: port, GATEWAY_HOST: host } = deps.config;
  try {
    const address = await app.listen({ port, host });
    deps.logger.info({ address }, 'gateway listening');
  } catch (err) {
    // A caller that survives the failure (a test) must not be left holding a half-started app.
    await app.close();
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw new PortInUseError(`port ${port} on ${host} is in use by another process: stop that process, or choose another port with GATEWAY_PORT (0: any free port)`, { cause: err });
  }
  return { stop: () => app.close() };
}
