/** The bus every hotrepos service uses: our contracts, our streams, one connection. */
import { createBus, MemoryTransport, NatsTransport, type Bus, type BusLogger, type DeadLetterEvent, type Transport } from '@hotrepos/bus';
import { contracts, Streams, type Contracts } from '@hotrepos/contracts';

export type HotBus = Bus<Contracts>;

export interface ConnectOptions {
  readonly service: string;
  /** A NATS URL (or comma-separated list); `memory` for the in-process transport. */
  readonly natsUrl: string;
  readonly logger?: BusLogger;
  readonly onDeadLetter?: (event: DeadLetterEvent) => void | Promise<void>;
  /** Stream and bucket replicas on a cluster. */
  readonly replicas?: number;
}

export async function connectTransport({ service, natsUrl, logger, replicas }: ConnectOptions): Promise<Transport> {
  if (natsUrl === 'memory') return new MemoryTransport(logger ? { logger } : {});
  return NatsTransport.connect({ servers: natsUrl.split(',').map((s) => s.trim()), name: service, ...(logger ? { logger } : {}), ...(replicas ? { replicas } : {}) });
}

export function createHotBus(transport: Transport, opts: Omit<ConnectOptions, 'natsUrl'>): Promise<HotBus> {
  return createBus({
    transport,
    contracts,
    streams: Object.values(Streams),
    service: opts.service,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.onDeadLetter ? { onDeadLetter: opts.onDeadLetter } : {}),
  });
}
