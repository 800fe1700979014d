import { currentScope } from '@hotrepos/scope';

/**
 * pino `mixin`: the caller's scope (correlationId, locale, traceparent, userId) on every line.
 * Returns a copy because pino merges the line's fields into the object it gets back.
 */
export function scopeFields(): object {
  return { ...currentScope() };
}
