import pino from 'pino';
import { loggerOptions } from './logger-options.js';
import { prettyDestination } from './pretty-destination.js';

export type Logger = pino.Logger;
export type LogLevel = pino.LevelWithSilent;

export interface CreateLoggerOptions {
  service: string;
  /** Defaults to `info`. */
  level?: LogLevel;
  /** Where JSON lines go; defaults to stdout. Tests pass an in-memory stream. */
  destination?: pino.DestinationStream;
  /** Human-readable lines instead of JSON, for a terminal. */
  pretty?: boolean;
}

/** A service's root logger: JSON lines stamped with `service`, the current scope and an ISO time, secrets redacted. */
export function createLogger({ service, level = 'info', destination = pino.destination(1), pretty = false }: CreateLoggerOptions): Logger {
  return pino(loggerOptions({ service }, level), pretty ? prettyDestination(destination) : destination);
}
