import type { Subscription } from './transport.js';

/** The subscriptions an owner started, so that stopping the owner stops (and drains) them all. */
export class SubscriptionSet {
  readonly #subscriptions = new Set<Subscription>();

  track(sub: Subscription): Subscription {
    const tracked: Subscription = {
      stop: async () => {
        this.#subscriptions.delete(tracked);
        await sub.stop();
      },
    };
    this.#subscriptions.add(tracked);
    return tracked;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.stop()));
  }
}
