/**
 * What a connection tells the code that waits on it: that it went away, came back, or closed for
 * good. A report watch opens again after a reconnect; the CLI tells the person waiting.
 */
import type { NatsTransport } from '@hotrepos/bus';

export type ConnectionEvent = 'disconnected' | 'reconnected' | 'closed';

export interface ConnectionEvents {
  /** Calls `listener` with every event until the returned function is called; at once with `closed` when it is. */
  subscribe(listener: (event: ConnectionEvent) => void): () => void;
}

/**
 * A NATS transport's events, read from nats.js once for all listeners until the connection closes:
 * make one per connection, not one per listener.
 */
export function natsConnectionEvents(transport: NatsTransport): ConnectionEvents {
  const listeners = new Set<(event: ConnectionEvent) => void>();
  let closed = false;
  const tell = (event: ConnectionEvent) => {
    for (const listener of [...listeners]) listener(event);
  };
  void (async () => {
    try {
      for await (const { type } of transport.connection.status()) {
        if (type === 'disconnect') tell('disconnected');
        if (type === 'reconnect') tell('reconnected');
      }
    } finally {
      closed = true;
      tell('closed');
    }
  })();
  return {
    subscribe(listener) {
      if (closed) listener('closed');
      else listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
