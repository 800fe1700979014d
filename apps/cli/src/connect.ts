import { NatsTransport, TransportError } from '@hotrepos/bus';
import { NatsUnreachableError } from './errors.js';
import { redactNatsUrl } from './nats-url.js';

// Long enough for a remote broker, short enough that a wrong URL is reported while the user still waits.
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * A connection for one command. The first connection is tried once: a broker that is down or a wrong
 * URL fails the command at once with `NatsUnreachableError` naming the URL, which only the user can
 * fix. Once connected it reconnects like the services do, without limit: a broker restart in the
 * middle of `report --wait` is ridden out, and each command's own timeouts (`--timeout`, the
 * JetStream request timeout) bound how long it waits.
 */
export async function connectCli(natsUrl: string): Promise<NatsTransport> {
  try {
    return await NatsTransport.connect({
      servers: natsUrl.split(',').map((s) => s.trim()),
      name: 'hotrepos-cli',
      connectOptions: { timeout: CONNECT_TIMEOUT_MS, waitOnFirstConnect: false, maxReconnectAttempts: -1 },
    });
  } catch (err) {
    if (err instanceof TransportError) throw new NatsUnreachableError(redactNatsUrl(natsUrl), (err.cause as Error | undefined)?.message ?? err.message, { cause: err });
    throw err;
  }
}

export async function withTransport<T>(natsUrl: string, use: (transport: NatsTransport) => Promise<T>): Promise<T> {
  const transport = await connectCli(natsUrl);
  try {
    return await use(transport);
  } finally {
    await transport.close();
  }
}
