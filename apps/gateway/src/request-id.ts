/**
 * The id of an HTTP request: the client's `x-request-id` when it looks like an id (so a proxy's id
 * carries through), a fresh UUID otherwise. It is sent back on every response, logged on every
 * line, and is the correlation id of everything the request publishes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}
