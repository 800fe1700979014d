import type pino from 'pino';
import { prettyFactory } from 'pino-pretty';

/**
 * Human-readable lines for local runs, formatted in-process: no worker thread, and still a plain
 * destination that per-task loggers can share.
 */
export function prettyDestination(destination: pino.DestinationStream): pino.DestinationStream {
  const prettify = prettyFactory({ translateTime: 'SYS:HH:MM:ss.l' });
  return { write: (line) => destination.write(prettify(line)) };
}
