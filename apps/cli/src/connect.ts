import { NatsTransport, TransportError } from '@hotrepos/bus';
import { NatsUnreachableError } from './errors.js';

// Long enough for a remote broker, short enough that a wrong URL is reported while the user still waits.
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * A connection for one command. Services reconnect forever; a CLI must not, so a broker that is down
 * or unreachable fails the command at once with `NatsUnreachableError` naming the URL.
 */
export async function connectCli(natsUrl: string): Promise<NatsTransport> {
  try {
    return await NatsTransport.connect({
      servers: natsUrl.split(',').map((s) => s.trim()),
      name: 'hotrepos-cli',
      connectOptions: { maxReconnectAttempts: 0, reconnect: false, timeout: CONNECT_TIMEOUT_MS },
    });
  } catch (err) {
    if (err instanceof TransportError) throw new NatsUnreachableError(natsUrl, (err.cause as Error | undefined)?.message ?? err.message, { cause: err });
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
