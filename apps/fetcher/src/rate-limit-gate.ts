/**
 * The rate-limit gate every request of this replica passes through. It keeps the budget GitHub
 * last reported and holds requests back so the replica never knowingly exceeds it:
 * - after a rate-limit answer, nothing goes out before the moment the server named;
 * - while a window is open, no more requests are in flight than it has left (`remaining` counts
 *   what the server saw; requests still in flight may not be in it yet, so they are subtracted);
 * - once a window has ended, the next one is assumed to hold `limit` requests.
 *
 * A generic limiter (p-limit, bottleneck, a token bucket) does not fit: it needs the budget up
 * front, while here the server dictates it in every response's headers and may change it at any
 * time (secondary limits, a token shared with other clients).
 */
import type { RateLimitObservation } from './rate-limit-headers.js';

export interface RateLimitGateOptions {
  /** Added to every reset the server names, so a request does not arrive a hair before it. */
  readonly safetyMarginMs?: number;
  /** Longest a held request sleeps before calling its `onWaiting` hook. */
  readonly heartbeatMs?: number;
}

export interface AcquireOptions {
  /** Ends the wait with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after every heartbeat-long sleep, e.g. to extend a message's ack deadline. */
  readonly onWaiting?: () => void;
}

export interface Permit {
  /** The request is answered (or failed); what the answer said about the budget updates the gate. Idempotent. */
  release(observed?: RateLimitObservation): void;
}

interface Window {
  readonly remaining: number;
  readonly resetAt: number;
}

export class RateLimitGate {
  readonly #safetyMarginMs: number;
  readonly #heartbeatMs: number;
  readonly #sleepers = new Set<() => void>();
  #inFlight = 0;
  #limit: number | undefined;
  #window: Window | undefined;
  #closedUntil = 0;

  constructor({ safetyMarginMs = 250, heartbeatMs = 10_000 }: RateLimitGateOptions = {}) {
    this.#safetyMarginMs = safetyMarginMs;
    this.#heartbeatMs = heartbeatMs;
  }

  /** How long from now until the gate lets a request through, ignoring requests in flight; 0 when open. */
  closedForMs(): number {
    const now = Date.now();
    const windowEnd = this.#window && this.#window.remaining <= 0 ? this.#window.resetAt : 0;
    return Math.max(0, this.#closedUntil - now, windowEnd - now);
  }

  /** Waits until a request may go out, then counts it in flight until the permit is released. */
  async acquire({ signal, onWaiting }: AcquireOptions = {}): Promise<Permit> {
    for (;;) {
      signal?.throwIfAborted();
      const until = this.#heldUntil();
      if (until === undefined) return this.#admit();
      await this.#sleep(Math.min(until - Date.now(), this.#heartbeatMs), signal);
      onWaiting?.();
    }
  }

  /** Takes in what a response said about the budget. */
  observe({ limit, remaining, resetAt, retryAt }: RateLimitObservation): void {
    if (limit !== undefined) this.#limit = limit;
    if (remaining !== undefined && resetAt !== undefined) {
      const end = resetAt + this.#safetyMarginMs;
      const current = this.#window;
      // Answers overtake each other: within one window the lowest count is the latest; an older window's answer says nothing.
      if (!current || end > current.resetAt) this.#window = { remaining, resetAt: end };
      else if (end === current.resetAt) this.#window = { remaining: Math.min(remaining, current.remaining), resetAt: end };
    }
    if (retryAt !== undefined) this.#closedUntil = Math.max(this.#closedUntil, retryAt + this.#safetyMarginMs);
    this.#wakeAll();
  }

  /** undefined when a request may go out now; otherwise when to look again (Infinity: when a request finishes). */
  #heldUntil(): number | undefined {
    const now = Date.now();
    if (now < this.#closedUntil) return this.#closedUntil;
    if (this.#window && now >= this.#window.resetAt) this.#window = undefined;
    const budget = this.#window?.remaining ?? this.#limit;
    if (budget === undefined || this.#inFlight < budget) return undefined;
    return this.#window?.resetAt ?? Infinity;
  }

  #admit(): Permit {
    this.#inFlight++;
    let released = false;
    return {
      release: (observed) => {
        if (released) return;
        released = true;
        this.#inFlight--;
        if (observed) this.observe(observed);
        else this.#wakeAll();
      },
    };
  }

  #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (outcome: () => void) => () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        signal?.removeEventListener('abort', aborted);
        outcome();
      };
      const wake = settle(resolve);
      const aborted = settle(() => reject(signal?.reason));
      const timer = setTimeout(wake, Math.max(0, ms));
      this.#sleepers.add(wake);
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }

  #wakeAll(): void {
    for (const wake of [...this.#sleepers]) wake();
  }
}
