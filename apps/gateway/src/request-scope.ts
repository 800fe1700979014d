/**
 * Runs each request's handler in a scope of its own: the locale from `Accept-Language` and the
 * request id as the correlation id, so everything the handler publishes (and every log line)
 * carries them. An explicit `locale` in a report request's body still wins downstream, since the
 * aggregator reads the payload before the headers.
 */
import { runInScope } from '@hotrepos/scope';
import type { GatewayApp } from './gateway-app.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { preferredLocale } from './request-locale.js';

export function registerRequestScope(app: GatewayApp): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header(REQUEST_ID_HEADER, req.id);
    done();
  });
  // After the body is parsed: the body's stream events would run outside a scope entered earlier.
  app.addHook('preHandler', (req, _reply, done) => {
    runInScope({ locale: preferredLocale(req.headers['accept-language']), correlationId: req.id }, done);
  });
}
