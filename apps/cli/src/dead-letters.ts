/**
 * The `DLQ` stream, read and replayed with JetStream directly: the transport port has no way to
 * browse a stream or delete one message, which only an operator's tool needs. Everything here works
 * on nats-server 2.9: ordered consumers with a single filter subject, `STREAM.MSG.GET/DELETE`.
 */
import { decodeDeadLetter, type NatsTransport } from '@hotrepos/bus';
import { DLQ_PREFIX, dlqSubject, Streams, type DeadLetter } from '@hotrepos/contracts';
import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { z } from 'zod';

const DLQ = Streams.DeadLetters.name;
// Long enough for a busy broker; only waited out when a dead letter is deleted while being listed.
const NEXT_TIMEOUT_MS = 5_000;

export interface DeadLetterEntry {
  /** Its sequence in the DLQ stream: what `dlq replay --seq` takes. */
  readonly seq: number;
  /** `dlq.<subject>` */
  readonly dlqSubject: string;
  readonly letter?: DeadLetter;
  /** Set instead of `letter` for a message the bus did not write (say, a hand-made `nats pub dlq.x`). */
  readonly problem?: string;
}

export interface ReplayedEntry {
  readonly seq: number;
  readonly subject: string;
  /** Where the replay was stored. */
  readonly stream: string;
  readonly streamSeq: number;
  /** True when an earlier replay of this dead letter was stored already (one that stopped before deleting it). */
  readonly duplicate: boolean;
}

/** The DLQ subjects for an original subject (wildcards allowed); all of them without one. */
export function dlqFilter(subject: string | undefined): string {
  return subject ? dlqSubject(subject) : `${DLQ_PREFIX}>`;
}

export class DeadLetterQueue {
  private constructor(
    private readonly transport: NatsTransport,
    private readonly jsm: JetStreamManager,
  ) {}

  static async open(transport: NatsTransport): Promise<DeadLetterQueue> {
    return new DeadLetterQueue(transport, await jetstreamManager(transport.connection));
  }

  /**
   * The first `limit` dead letters on `filter`, oldest first, and how many there are in all. Only those
   * stored when the listing starts are read, so a replay that dies again cannot make `--all` loop.
   */
  async list(filter: string, limit: number): Promise<{ total: number; entries: DeadLetterEntry[] }> {
    const consumer = await this.jsm
      .jetstream()
      .consumers.get(DLQ, { filter_subjects: filter })
      .catch((err: unknown) => {
        if (isStreamNotFound(err)) return undefined;
        throw err;
      });
    if (!consumer) return { total: 0, entries: [] };
    try {
      const total = (await consumer.info(true)).num_pending;
      const entries: DeadLetterEntry[] = [];
      while (entries.length < Math.min(total, limit)) {
        const m = await consumer.next({ expires: NEXT_TIMEOUT_MS });
        if (!m) break;
        entries.push(entryOf(m.seq, m.subject, m.data, m.headers));
      }
      return { total, entries };
    } finally {
      // The server would drop it after its inactivity threshold anyway; this just does not leave it behind.
      await consumer.delete().catch(() => undefined);
    }
  }

  async get(seq: number): Promise<DeadLetterEntry | undefined> {
    try {
      const m = await this.jsm.streams.getMessage(DLQ, { seq });
      return m ? entryOf(m.seq, m.subject, m.data, m.header) : undefined;
    } catch (err) {
      if (isStreamNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Republishes the original bytes and headers on the original subject, then deletes the dead letter.
   *
   * The original `Nats-Msg-Id` is not restored: the original publish is still in its stream, and within
   * the duplicate window (10 minutes on REPORTS) a replay under the same id would be dropped as a
   * duplicate of it, silently. The replay gets an id of its own instead, `dlq-replay:<DLQ seq>:<dead at>`:
   * replaying again after a replay that stopped before the delete is the duplicate, so a dead letter is
   * republished once. Other `Nats-*` headers are dropped too: they told JetStream how to store the
   * original publish (expected stream, last sequence), they are not part of the message.
   */
  async replay(seq: number, letter: DeadLetter): Promise<ReplayedEntry> {
    const headers: Record<string, string> = {};
    for (const [name, [value]] of Object.entries(letter.headers)) {
      if (value !== undefined && !name.toLowerCase().startsWith('nats-')) headers[name] = value;
    }
    const ack = await this.transport.publish(letter.subject, Buffer.from(letter.data, 'base64'), { headers, msgId: `dlq-replay:${seq}:${letter.deadAt}` });
    await this.jsm.streams.deleteMessage(DLQ, seq);
    return { seq, subject: letter.subject, stream: ack.stream, streamSeq: ack.seq, duplicate: ack.duplicate };
  }
}

interface NatsHeaders {
  keys(): string[];
  values(name: string): string[];
}

function entryOf(seq: number, subject: string, data: Uint8Array, h: NatsHeaders | undefined): DeadLetterEntry {
  const headers: Record<string, string[]> = {};
  for (const name of h?.keys() ?? []) headers[name] = h?.values(name) ?? [];
  try {
    return { seq, dlqSubject: subject, letter: decodeDeadLetter(data, headers) };
  } catch (err) {
    const problem = err instanceof z.ZodError ? z.prettifyError(err).replace(/\n/g, '; ') : (err as Error).message;
    return { seq, dlqSubject: subject, problem: `not a dead letter of the bus: ${problem}` };
  }
}

function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}
