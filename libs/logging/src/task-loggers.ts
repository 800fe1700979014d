/**
 * Per-task log files: `forTask('fetch')` logs to the base logger's destination and to
 * `<logDir>/<service>.fetch.log`, so one task's history can be read on its own.
 */
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Logger } from './create-logger.js';
import { loggerOptions } from './logger-options.js';

type FileDestination = ReturnType<typeof pino.destination>;

export interface TaskLoggersOptions {
  service: string;
  logDir: string;
  /** Lines also go wherever this logger writes, carrying its bindings and level. */
  base: Logger;
}

export interface TaskLoggers {
  /** The same logger for the same task name; the name is made safe for a file name (`a/b` → `a_b`). */
  forTask(task: string): Logger;
  /** Flushes and closes the task files; task loggers used afterwards write to the base destination only. */
  close(): Promise<void>;
}

export class TaskLoggersClosedError extends Error {
  override readonly name = 'TaskLoggersClosedError';
  readonly code = 'TASK_LOGGERS_CLOSED';
}

/** Creates `logDir` now, so a directory that cannot be created stops start-up rather than the first task. */
export function createTaskLoggers({ service, logDir, base }: TaskLoggersOptions): TaskLoggers {
  mkdirSync(logDir, { recursive: true });
  const loggers = new Map<string, Logger>();
  const files = new Map<string, FileDestination>();
  let closing: Promise<void> | undefined;

  function fileFor(task: string): pino.DestinationStream {
    const path = join(logDir, `${safeFileName(service)}.${safeFileName(task)}.log`);
    const file = files.get(path) ?? pino.destination({ dest: path, sync: false });
    files.set(path, file);
    return {
      write(line) {
        // A late line after close() still reaches the base destination; writing it to the closed file would throw at the caller.
        if (!closing) file.write(line);
      },
    };
  }

  return {
    forTask(task) {
      if (closing) throw new TaskLoggersClosedError(`task loggers for ${service} are closed; cannot log task ${task}`);
      let logger = loggers.get(task);
      if (!logger) {
        // A child logger cannot get another stream, so this is a sibling of `base` with the same options.
        const streams = pino.multistream([
          { stream: destinationOf(base), level: 'trace' },
          { stream: fileFor(task), level: 'trace' },
        ]);
        logger = pino(loggerOptions(base.bindings(), base.level), streams).child({ task });
        loggers.set(task, logger);
      }
      return logger;
    },
    close() {
      closing ??= Promise.all([...files.values()].map((file) => closeFile(file))).then(() => undefined);
      return closing;
    },
  };
}

function safeFileName(name: string): string {
  return name.replace(/[^\w.-]/g, '_');
}

async function closeFile(file: FileDestination): Promise<void> {
  const closed = once(file, 'close');
  file.end();
  await closed;
}

/** pino keeps a logger's destination behind a symbol it exposes for libraries like this one. */
function destinationOf(logger: Logger): pino.DestinationStream {
  const stream: unknown = Reflect.get(logger, pino.symbols.streamSym);
  if (typeof stream !== 'object' || stream === null || !('write' in stream) || typeof stream.write !== 'function') {
    throw new TypeError('base logger has no pino destination');
  }
  return stream as pino.DestinationStream;
}
