/**
 * Records what a stream stores on a subject from now on, through a JetStream consumer of its own:
 * tests see exactly what a real consumer would get, so a publish the stream de-duplicated does not
 * count, and headers are as delivered.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface CapturedMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  /** When the stream stored it, by the broker's clock: what a consumer reads as `publishedAt`. */
  readonly storedAt: Date;
}

export interface Capture {
  readonly messages: readonly CapturedMessage[];
  /** JSON bodies of the messages so far, typed by the caller. */
  payloads<T>(): T[];
  stop(): Promise<void>;
}

const decoder = new TextDecoder();
let captures = 0;

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
}

/** Captures `subject` (wildcards allowed) from the stream that stores it; the stream must exist. */
export async function captureSubject(natsUrl: string, subject: string): Promise<Capture> {
  const nc = await connect({ servers: natsUrl, name: `capture ${subject}` });
  const jsm = await jetstreamManager(nc);
  const stream = await jsm.streams.find(subject);
  const name = `capture_${process.pid}_${++captures}`;
  // One filter subject and an explicit config: works on nats-server 2.9, unlike ordered consumers with filter_subjects.
  await jsm.consumers.add(stream, { name, filter_subject: subject, deliver_policy: DeliverPolicy.New, ack_policy: AckPolicy.None, inactive_threshold: 60_000_000_000 });
  const consumer = await jetstream(nc).consumers.get(stream, name);
  const iter = await consumer.consume();
  const messages: CapturedMessage[] = [];
  const done = (async () => {
    for await (const m of iter) {
      const headers: Record<string, string[]> = {};
      for (const key of m.headers?.keys() ?? []) headers[key] = m.headers?.values(key) ?? [];
      messages.push({ subject: m.subject, data: m.data, headers, json: parseJson(m.data), storedAt: m.time });
    }
  })();
  return {
    messages,
    payloads: <T>() => messages.map((m) => m.json as T),
    async stop() {
      await iter.close();
      await done;
      await nc.close();
    },
  };
}
