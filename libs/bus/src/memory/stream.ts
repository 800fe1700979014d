import { subjectMatches } from '@hotrepos/contracts';
import type { PublishAck, StreamSpec } from '../transport.js';

export interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly storedAt: number;
}

const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

/** An in-process stream: an append-only log with JetStream's de-duplication window. */
export class MemoryStream {
  readonly messages: StoredMessage[] = [];
  readonly #recentIds = new Map<string, { seq: number; at: number }>();
  /** Never reused, even when every message has expired: consumers' positions and dead-letter ids rely on it. */
  #lastSeq = 0;
  #spec: StreamSpec;

  constructor(spec: StreamSpec) {
    this.#spec = spec;
  }

  get name(): string {
    return this.#spec.name;
  }

  update(spec: StreamSpec): void {
    this.#spec = spec;
  }

  captures(subject: string): boolean {
    return this.#spec.subjects.some((p) => subjectMatches(p, subject));
  }

  append(subject: string, data: Uint8Array, headers: Readonly<Record<string, string>>, msgId: string | undefined, now: number): PublishAck {
    this.#expire(now);
    if (msgId) {
      const seen = this.#recentIds.get(msgId);
      if (seen) return { stream: this.name, seq: seen.seq, duplicate: true };
    }
    const seq = ++this.#lastSeq;
    const stored = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    if (msgId) stored['Nats-Msg-Id'] = [msgId];
    this.messages.push({ seq, subject, data: data.slice(), headers: stored, storedAt: now });
    if (msgId) this.#recentIds.set(msgId, { seq, at: now });
    return { stream: this.name, seq, duplicate: false };
  }

  /** The first message at or after `seq` that matches `filter`. */
  nextFrom(seq: number, filter: string): StoredMessage | undefined {
    return this.messages.find((m) => m.seq >= seq && subjectMatches(filter, m.subject));
  }

  bySeq(seq: number): StoredMessage | undefined {
    return this.messages.find((m) => m.seq === seq);
  }

  #expire(now: number): void {
    const window = this.#spec.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
    for (const [id, seen] of this.#recentIds) if (now - seen.at > window) this.#recentIds.delete(id);
    if (this.#spec.maxAgeMs) {
      const cutoff = now - this.#spec.maxAgeMs;
      while (this.messages[0] && this.messages[0].storedAt < cutoff) this.messages.shift();
    }
  }
}
