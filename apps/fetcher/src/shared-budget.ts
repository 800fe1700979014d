/**
 * One GitHub search budget for every fetcher replica, kept in a KV key per token. Each request
 * reserves one unit with a compare-and-set before it goes out, and every answer corrects the
 * count with what GitHub said, so N replicas together never knowingly exceed the budget (a
 * per-replica gate alone lets each replica spend the whole budget at every window start).
 *
 * The first request ever made with a token probes alone: until GitHub has named the limit,
 * nobody else guesses. After that a new window is opened optimistically with the last known
 * limit and window length; the first answer in it sets the real reset time and count.
 */
import { CasConflictError, type KeyValueStore, type KvEntry } from '@hotrepos/bus';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { RateLimitObservation } from './rate-limit-headers.js';

const BudgetState = z.object({
  /** When the current window ends, ms since the epoch. */
  resetAt: z.number(),
  /** Units left in the window after the reservations made so far. */
  remaining: z.int(),
  /** What GitHub named last; absent until the first answer. */
  limit: z.int().positive().optional(),
  windowMs: z.int().positive().optional(),
  /** Opened by us, not yet confirmed by an answer in this window. */
  provisional: z.boolean().optional(),
});
type BudgetState = z.infer<typeof BudgetState>;

export const BUDGET_BUCKET = 'github-rate-limit';

export interface SharedBudgetOptions {
  /** How long a probe may take before another replica may probe instead. */
  readonly probeLeaseMs?: number;
  /** How often a held request looks at the budget again. */
  readonly pollMs?: number;
  readonly safetyMarginMs?: number;
  /** How often `onWaiting` is called while a request is held. */
  readonly heartbeatMs?: number;
}

export interface ReserveOptions {
  readonly signal?: AbortSignal;
  /** Called about every `heartbeatMs` while held, e.g. to extend a message's ack deadline. */
  readonly onWaiting?: () => void;
}

export interface Reservation {
  /** Corrects the shared budget with what the answer said; without an answer, frees a probe. */
  settle(observed?: RateLimitObservation): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const DEFAULT_WINDOW_MS = 60_000;
const UNLIMITED = 1_000_000_000;
/** Above this many units left, requests need not queue on the shared key (see `#fromPlenty`). */
const PLENTY = 1_000;
const PLENTY_REFRESH_MS = 1_000;

/** A budget update lost its compare-and-set race every time; the caller logs it, the next answer corrects the budget. */
export class BudgetContentionError extends Error {
  override readonly name = 'BudgetContentionError';
  readonly code = 'BUDGET_CONTENTION';
  constructor(readonly key: string) {
    super(`the shared GitHub budget ${key} kept changing under every attempt to update it`);
  }
}

/** The KV key of a token's budget: a hash, so the token itself is never written anywhere. */
export function budgetKey(token: string | undefined): string {
  return `search.${token ? createHash('sha256').update(token).digest('hex').slice(0, 16) : 'anonymous'}`;
}

export class SharedBudget {
  readonly #probeLeaseMs: number;
  readonly #pollMs: number;
  readonly #marginMs: number;
  readonly #heartbeatMs: number;
  /** The budget as last read from the shared key, for `#fromPlenty`. */
  #seen: { state: BudgetState; at: number } | undefined;

  constructor(
    private readonly kv: KeyValueStore,
    private readonly key: string,
    { probeLeaseMs = 10_000, pollMs = 100, safetyMarginMs = 250, heartbeatMs = 10_000 }: SharedBudgetOptions = {},
  ) {
    this.#probeLeaseMs = probeLeaseMs;
    this.#pollMs = pollMs;
    this.#marginMs = safetyMarginMs;
    this.#heartbeatMs = heartbeatMs;
  }

  async reserve({ signal, onWaiting }: ReserveOptions = {}): Promise<Reservation> {
    const plenty = this.#fromPlenty();
    if (plenty) return plenty;
    let lastBeat = Date.now();
    for (;;) {
      signal?.throwIfAborted();
      const entry = await this.kv.get(this.key);
      const state = entry ? decode(entry) : undefined;
      const now = Date.now();
      if (state) this.#seen = { state, at: now };
      const claim = this.#claim(state, now);
      if (claim && (await this.#write(entry, claim.next))) return this.#reservation(claim.probe);
      if (!claim) {
        await sleep(Math.max(1, Math.min(this.#pollMs, (state?.resetAt ?? now) - now)), undefined, { signal });
        if (Date.now() - lastBeat >= this.#heartbeatMs) {
          lastBeat = Date.now();
          onWaiting?.();
        }
      }
    }
  }

  /**
   * While the budget is far larger than anything in flight (no limit, GitHub Enterprise with limits
   * off, the fixture), a unit is taken from the copy last read, with no write: a compare-and-set
   * per request would only make the replicas queue on one key. The copy is read again within a second,
   * and an answer that says the budget is getting scarce goes back through the shared key.
   */
  #fromPlenty(): Reservation | undefined {
    const seen = this.#seen;
    const now = Date.now();
    if (!seen || seen.state.provisional || now >= seen.state.resetAt || now - seen.at > PLENTY_REFRESH_MS || seen.state.remaining <= PLENTY) return undefined;
    this.#seen = { state: { ...seen.state, remaining: seen.state.remaining - 1 }, at: seen.at };
    return {
      settle: async (observed) => {
        const scarce = observed?.retryAt !== undefined || (observed?.remaining !== undefined && observed.remaining <= PLENTY);
        if (scarce) await this.#reservation(false).settle(observed);
      },
    };
  }

  /** The state after taking one unit now, or undefined when none is to be had yet. */
  #claim(state: BudgetState | undefined, now: number): { next: BudgetState; probe: boolean } | undefined {
    if (state && now < state.resetAt) return state.remaining > 0 ? { next: { ...state, remaining: state.remaining - 1 }, probe: false } : undefined;
    if (!state?.limit) return { next: { ...state, resetAt: now + this.#probeLeaseMs, remaining: 0, provisional: true }, probe: true };
    const windowMs = state.windowMs ?? DEFAULT_WINDOW_MS;
    return { next: { ...state, resetAt: now + windowMs, remaining: state.limit - 1, provisional: true }, probe: false };
  }

  #reservation(probe: boolean): Reservation {
    return {
      settle: async (observed) => {
        for (let attempt = 0; attempt < 20; attempt++) {
          const entry = await this.kv.get(this.key);
          const state = entry ? decode(entry) : undefined;
          const next = this.#corrected(state, observed, probe);
          if (!next) return;
          if (await this.#write(entry, next)) {
            // What this replica just learned (a rate-limit answer, say) must reach its own plenty path at once.
            this.#seen = { state: next, at: Date.now() };
            return;
          }
        }
        throw new BudgetContentionError(this.key);
      },
    };
  }

  #corrected(state: BudgetState | undefined, observed: RateLimitObservation | undefined, probe: boolean): BudgetState | undefined {
    const now = Date.now();
    if (observed?.retryAt !== undefined) {
      // The rate-limit answer names the moment; only an earlier such answer, already closing the budget, may name a later one.
      const retryAt = observed.retryAt + this.#marginMs;
      const closedAlready = state !== undefined && state.remaining <= 0 && !state.provisional && state.resetAt > now;
      return { ...state, limit: observed.limit ?? state?.limit, resetAt: closedAlready ? Math.max(state.resetAt, retryAt) : retryAt, remaining: 0, provisional: false };
    }
    if (!observed) {
      // A probe that got no answer must not block everyone for its whole lease.
      return probe && state?.provisional && !state.limit ? { ...state, resetAt: now } : undefined;
    }
    if (observed.remaining === undefined || observed.resetAt === undefined) {
      // Answered without rate-limit headers (GitHub Enterprise with limits off, a proxy that strips them):
      // there is no budget to share, so do not make every request a probe; look again after a window.
      return probe ? { resetAt: now + (state?.windowMs ?? DEFAULT_WINDOW_MS), remaining: UNLIMITED, provisional: false } : undefined;
    }
    const end = observed.resetAt + this.#marginMs;
    const limit = observed.limit ?? state?.limit;
    const windowMs = limit !== undefined && observed.remaining === limit - 1 ? Math.max(1_000, end - now) : state?.windowMs;
    if (!state || state.provisional || end > state.resetAt + 1_000) {
      // The first answer of a window: GitHub's reset is the truth; units reserved meanwhile stay spent.
      const remaining = state?.provisional && state.limit ? Math.min(state.remaining, observed.remaining) : observed.remaining;
      return { limit, windowMs, resetAt: end, remaining, provisional: false };
    }
    // Answers overtake each other: within a window the lowest count is the latest.
    const remaining = Math.min(state.remaining, observed.remaining);
    return remaining === state.remaining && limit === state.limit ? undefined : { ...state, limit, remaining };
  }

  async #write(entry: KvEntry | undefined, next: BudgetState): Promise<boolean> {
    const bytes = encoder.encode(JSON.stringify(next));
    try {
      if (entry) await this.kv.update(this.key, bytes, entry.revision);
      else await this.kv.create(this.key, bytes);
      return true;
    } catch (err) {
      if (err instanceof CasConflictError) return false;
      throw err;
    }
  }
}

/** An unreadable value (a hand edit, another version) counts as no budget known: the next write replaces it. */
function decode(entry: KvEntry): BudgetState | undefined {
  try {
    return BudgetState.parse(JSON.parse(decoder.decode(entry.value)));
  } catch {
    return undefined;
  }
}
