/**
 * Every error answer has one shape, `{ error: { code, message, requestId } }`, and never a stack.
 * Known failures keep their status and code; anything else is a 500 `INTERNAL` that is logged with
 * `{ err }` and published on `errors.report` with the route and request id.
 */
import { ReportNotReadyError } from '@hotrepos/client';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayApp } from './gateway-app.js';
import type { GatewayContext } from './gateway-context.js';
import { BodyTooLargeError, MalformedJsonError, RequestValidationError, RouteNotFoundError, TooManyStreamsError, UnsupportedMediaTypeError } from './http-errors.js';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly requestId: string };
}

interface Problem {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** Seconds an `EventSource` turned away waits before it tries again. */
const STREAM_RETRY_AFTER_S = 5;

const INTERNAL: Omit<Problem, 'status'> = { code: 'INTERNAL', message: 'Internal server error' };

export function registerErrorReplies(app: GatewayApp, ctx: GatewayContext): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const problem = problemOf(clientError(err, ctx));
    if (problem.status >= 500) {
      // The pattern, or for an unrouted failure the path: never the query string, which varies and may hold secrets.
      const route = (req.routeOptions.url ?? req.url.split('?')[0] ?? req.url).slice(0, 256);
      req.log.error({ err, route }, 'request failed');
      void ctx.errors.httpError(err, { method: req.method, route, status: problem.status, requestId: req.id });
    }
    if (err instanceof TooManyStreamsError) reply.header('retry-after', STREAM_RETRY_AFTER_S);
    return sendProblem(reply, req, problem);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, req, problemOf(new RouteNotFoundError(req.method, req.url.split('?')[0] ?? req.url))));
}

function sendProblem(reply: FastifyReply, req: FastifyRequest, problem: Problem): FastifyReply {
  const body: ErrorBody = { error: { code: problem.code, message: problem.message, requestId: req.id } };
  return reply.code(problem.status).type('application/json; charset=utf-8').send(body);
}

/** fastify's own client errors as the gateway's named ones; anything else as it is. */
function clientError(err: FastifyError, ctx: GatewayContext): Error {
  if (err.validation) return new RequestValidationError(validationMessage(err), { cause: err });
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BodyTooLargeError(ctx.config.GATEWAY_BODY_LIMIT, { cause: err });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new MalformedJsonError(err.message, { cause: err });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError(`${err.message}; send application/json`, { cause: err });
    default:
      return err;
  }
}

function problemOf(err: Error): Problem {
  if (err instanceof ReportNotReadyError) return { status: 409, code: err.code, message: err.message };
  if (err instanceof TooManyStreamsError) return { status: err.statusCode, code: err.code, message: err.message };
  const { statusCode, code } = err as Partial<FastifyError>;
  // Other 4xx from fastify or its plugins (a bad Content-Length, a static path that climbs out of
  // its folder) keep their status; some carry no code, and a client's mistake is never a 500.
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return { status: statusCode, code: typeof code === 'string' ? code : `HTTP_${statusCode}`, message: err.message };
  return { status: 500, ...INTERNAL };
}

/** `period: Invalid option: expected one of "day"|"week"|"month"; refDate: Invalid ISO date` */
function validationMessage(err: FastifyError): string {
  const where = err.validationContext ?? 'request';
  return (err.validation ?? [])
    .map(({ instancePath, message }) => {
      const field = instancePath.replace(/^\//, '').replaceAll('/', '.');
      return `${field || where}: ${message ?? 'invalid'}`;
    })
    .join('; ');
}
