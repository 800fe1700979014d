/**
 * The last tick each schedule ran, in the KV bucket `scheduler-state` (key = schedule name), shared
 * by every replica. Writes are compare-and-set and only ever move `lastTick` forward, so replicas
 * racing on the same tick cannot undo one another.
 */
import { CasConflictError, type KeyValueStore, type Transport } from '@hotrepos/bus';
import { z } from 'zod';
import { SchedulerStateError } from './scheduler-state-error.js';

export const SCHEDULER_STATE_BUCKET = 'scheduler-state';

export const TickState = z.strictObject({
  /** The latest tick published; on a first start, the instant the schedule was first seen. */
  lastTick: z.iso.datetime(),
  /** When this was written, by the writer's clock. */
  at: z.iso.datetime(),
});
export type TickState = z.infer<typeof TickState>;

// Each conflict means another replica moved the state forward, so a few attempts always settle it.
const MAX_ATTEMPTS = 10;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class TickStateStore {
  private constructor(private readonly kv: KeyValueStore) {}

  static async open(transport: Transport): Promise<TickStateStore> {
    return new TickStateStore(await transport.keyValue(SCHEDULER_STATE_BUCKET));
  }

  /** Throws `SchedulerStateError` when the stored value is not a state. */
  async get(name: string): Promise<TickState | undefined> {
    return (await this.read(name))?.state;
  }

  /**
   * Records `since` as the starting point of a schedule seen for the first time. Keeps what is there if
   * another replica got in first: its starting point is as good, and moving it later could swallow a tick.
   */
  async begin(name: string, since: Date): Promise<void> {
    try {
      await this.kv.create(name, encode({ lastTick: since.toISOString(), at: since.toISOString() }));
    } catch (err) {
      if (!(err instanceof CasConflictError)) throw err;
    }
  }

  /** Records that `tick` ran, unless this tick or a later one is recorded already. */
  async advance(name: string, tick: Date, at: Date): Promise<void> {
    const value = encode({ lastTick: tick.toISOString(), at: at.toISOString() });
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(name);
      if (current && Date.parse(current.state.lastTick) >= tick.getTime()) return;
      try {
        if (current) await this.kv.update(name, value, current.revision);
        else await this.kv.create(name, value);
        return;
      } catch (err) {
        if (!(err instanceof CasConflictError) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  private async read(name: string): Promise<{ state: TickState; revision: number } | undefined> {
    const entry = await this.kv.get(name);
    if (!entry) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(entry.value));
    } catch (err) {
      throw new SchedulerStateError(this.kv.bucket, name, `not JSON: ${(err as Error).message}`, { cause: err });
    }
    const parsed = TickState.safeParse(json);
    if (!parsed.success) throw new SchedulerStateError(this.kv.bucket, name, z.prettifyError(parsed.error).replace(/\n/g, '; '), { cause: parsed.error });
    return { state: parsed.data, revision: entry.revision };
  }
}

function encode(state: TickState): Uint8Array {
  return encoder.encode(JSON.stringify(state));
}
