/**
 * An in-process durable consumer with JetStream's delivery semantics: one shared position for
 * every subscriber of the same durable (competing consumers), explicit ack, ack-wait redelivery,
 * nak with delay, term, working() and a max-deliver cap.
 */
import type { ConsumerSpec, Delivery, DeliveryHandler, Subscription } from '../transport.js';
import type { BusLogger } from '../log.js';
import type { MemoryStream, StoredMessage } from './stream.js';

interface Pending {
  readonly token: number;
  timer: NodeJS.Timeout;
}

interface Subscriber {
  readonly handler: DeliveryHandler;
  readonly concurrency: number;
  running: number;
  stopping: boolean;
  readonly idle: Set<() => void>;
}

export class MemoryConsumer {
  #spec: ConsumerSpec;
  #cursor = 1;
  readonly #deliveries = new Map<number, number>();
  readonly #pending = new Map<number, Pending>();
  /** Sequences due for redelivery, oldest first. */
  readonly #redeliver: number[] = [];
  readonly #delayed = new Set<NodeJS.Timeout>();
  readonly #subscribers: Subscriber[] = [];
  #nextToken = 1;
  #roundRobin = 0;

  constructor(
    spec: ConsumerSpec,
    private readonly stream: MemoryStream,
    private readonly log: BusLogger,
  ) {
    this.#spec = spec;
  }

  update(spec: ConsumerSpec): void {
    this.#spec = { ...this.#spec, ackWaitMs: spec.ackWaitMs, maxDeliver: spec.maxDeliver };
  }

  subscribe(handler: DeliveryHandler, concurrency: number): Subscription {
    const sub: Subscriber = { handler, concurrency: Math.max(1, concurrency), running: 0, stopping: false, idle: new Set() };
    this.#subscribers.push(sub);
    queueMicrotask(() => this.pump());
    return {
      stop: async () => {
        sub.stopping = true;
        const index = this.#subscribers.indexOf(sub);
        if (index >= 0) this.#subscribers.splice(index, 1);
        if (sub.running > 0) await new Promise<void>((resolve) => sub.idle.add(resolve));
      },
    };
  }

  /** Hands out every message that a free handler slot can take. */
  pump(): void {
    for (;;) {
      const sub = this.#freeSubscriber();
      if (!sub) return;
      const msg = this.#nextMessage();
      if (!msg) return;
      this.#deliver(sub, msg);
    }
  }

  close(): void {
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    for (const t of this.#delayed) clearTimeout(t);
    this.#pending.clear();
    this.#delayed.clear();
  }

  #freeSubscriber(): Subscriber | undefined {
    const n = this.#subscribers.length;
    for (let i = 0; i < n; i++) {
      const sub = this.#subscribers[(this.#roundRobin + i) % n];
      if (sub && !sub.stopping && sub.running < sub.concurrency) {
        this.#roundRobin = (this.#roundRobin + i + 1) % n;
        return sub;
      }
    }
    return undefined;
  }

  #nextMessage(): StoredMessage | undefined {
    while (this.#redeliver.length > 0) {
      const seq = this.#redeliver.shift() as number;
      const msg = this.stream.bySeq(seq);
      if (msg) return msg;
    }
    const msg = this.stream.nextFrom(this.#cursor, this.#spec.filterSubject);
    if (msg) this.#cursor = msg.seq + 1;
    return msg;
  }

  #deliver(sub: Subscriber, msg: StoredMessage): void {
    const count = (this.#deliveries.get(msg.seq) ?? 0) + 1;
    this.#deliveries.set(msg.seq, count);
    const token = this.#nextToken++;
    const pending: Pending = { token, timer: this.#ackTimer(msg.seq, token) };
    this.#pending.set(msg.seq, pending);

    // Only the current delivery may settle the message: a late ack from an expired delivery is ignored, as on the server.
    const settle = (action: (seq: number) => void) => () => {
      const p = this.#pending.get(msg.seq);
      if (p?.token !== token) return;
      clearTimeout(p.timer);
      this.#pending.delete(msg.seq);
      action(msg.seq);
    };
    const delivery: Delivery = {
      subject: msg.subject,
      data: msg.data,
      headers: msg.headers,
      deliveryCount: count,
      stream: this.stream.name,
      streamSeq: msg.seq,
      consumer: this.#spec.durable,
      storedAt: new Date(msg.storedAt),
      ack: settle((seq) => this.#deliveries.delete(seq)),
      term: settle((seq) => this.#deliveries.delete(seq)),
      nak: (delayMs) => settle((seq) => this.#retry(seq, delayMs ?? 0))(),
      working: () => {
        const p = this.#pending.get(msg.seq);
        if (p?.token !== token) return;
        clearTimeout(p.timer);
        p.timer = this.#ackTimer(msg.seq, token);
      },
    };

    sub.running++;
    // Handlers run on a later tick, as they would after a network hop, so a publish inside one never re-enters pump().
    setImmediate(() => {
      sub
        .handler(delivery)
        .catch((err: unknown) => this.log.error({ err, subject: msg.subject }, 'delivery handler failed'))
        .finally(() => {
          sub.running--;
          if (sub.running === 0) {
            for (const resolve of sub.idle) resolve();
            sub.idle.clear();
          }
          this.pump();
        });
    });
  }

  #ackTimer(seq: number, token: number): NodeJS.Timeout {
    return setTimeout(() => {
      if (this.#pending.get(seq)?.token !== token) return;
      this.#pending.delete(seq);
      this.#retry(seq, 0);
    }, this.#spec.ackWaitMs);
  }

  #retry(seq: number, delayMs: number): void {
    if ((this.#deliveries.get(seq) ?? 0) >= this.#spec.maxDeliver) {
      this.#deliveries.delete(seq);
      this.log.warn({ stream: this.stream.name, consumer: this.#spec.durable, seq }, 'max deliveries reached');
      return;
    }
    const due = () => {
      this.#redeliver.push(seq);
      this.#redeliver.sort((a, b) => a - b);
      this.pump();
    };
    if (delayMs <= 0) {
      due();
      return;
    }
    const t = setTimeout(() => {
      this.#delayed.delete(t);
      due();
    }, delayMs);
    this.#delayed.add(t);
  }
}
