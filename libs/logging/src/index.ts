/**
 * `createLogger` builds a service's root logger. `createTaskLoggers` takes that logger (or any child of it)
 * and finds its destination itself, so an app passes loggers around and never a stream.
 */
export { type Logger, type LogLevel, type CreateLoggerOptions, createLogger } from './create-logger.js';
export { type TaskLoggers, type TaskLoggersOptions, TaskLoggersClosedError, createTaskLoggers } from './task-loggers.js';
