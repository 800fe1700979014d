import pino from 'pino';
import { redaction } from './redaction.js';
import { scopeFields } from './scope-fields.js';

/** The options every logger of this lib shares, so a per-task logger writes exactly what its base logger would. */
export function loggerOptions(bindings: pino.Bindings, level: pino.LevelWithSilentOrString): pino.LoggerOptions {
  return {
    level,
    base: bindings,
    mixin: scopeFields,
    timestamp: pino.stdTimeFunctions.isoTime,
    // errWithCause keeps `cause` as a nested error instead of only folding its message into the parent's.
    serializers: { err: pino.stdSerializers.errWithCause },
    redact: redaction,
  };
}
