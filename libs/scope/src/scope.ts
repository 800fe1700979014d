/**
 * The caller's scope: what travels with every message and is restored around every handler,
 * so a handler deep in a chain still knows the requester's locale and the correlation id.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Scope {
  readonly locale?: string;
  readonly correlationId?: string;
  /** W3C trace context, `00-<trace-id>-<parent-id>-<flags>`. */
  readonly traceparent?: string;
  readonly userId?: string;
}

const storage = new AsyncLocalStorage<Scope>();

export function currentScope(): Scope {
  return storage.getStore() ?? {};
}

/** Drops keys whose value is undefined or empty, so they never mask an inherited value. */
function definedOnly(scope: Scope): Scope {
  return Object.fromEntries(Object.entries(scope).filter(([, v]) => v !== undefined && v !== '')) as Scope;
}

/** The current scope overlaid by `overrides`: a value given here wins, anything not given is inherited. */
export function scopeWith(overrides: Scope): Scope {
  return { ...currentScope(), ...definedOnly(overrides) };
}

/** Runs `fn` in `scopeWith(overrides)`. */
export function withScope<T>(overrides: Scope, fn: () => T): T {
  return storage.run(scopeWith(overrides), fn);
}

/** Runs `fn` in exactly `scope`, ignoring whatever scope the caller had (used when a message arrives). */
export function runInScope<T>(scope: Scope, fn: () => T): T {
  return storage.run(definedOnly(scope), fn);
}
