/**
 * Scheduler replicas against a real nats-server, sharing one manual clock, with a capture of what
 * the REPORTS stream stored on `reports.request` and every line the replicas logged.
 */
import { NatsTransport, type KeyValueStore, type Transport } from '@hotrepos/bus';
import { parseConfig } from '@hotrepos/config';
import { Subjects } from '@hotrepos/contracts';
import { createLogger } from '@hotrepos/logging';
import { createHotBus, type HotBus, type RunningService } from '@hotrepos/runtime';
import { captureSubject, startNatsServer, waitFor, type Capture, type CapturedMessage, type NatsServer } from '@hotrepos/testing';
import { startScheduler } from '../src/app.js';
import { SchedulerEnv } from '../src/config.js';
import type { ScheduleDefinition } from '../src/schedule-definition.js';
import type { z } from 'zod';
import { SCHEDULER_STATE_BUCKET } from '../src/tick-state.js';
import { ManualClock } from './manual-clock.js';

export type LogLine = Record<string, unknown> & { msg: string; level: number };

export interface ReplicaOptions {
  /** Omitted: the default `SCHEDULES`. */
  readonly schedules?: readonly z.input<typeof ScheduleDefinition>[];
  /** Wraps the replica's bus, e.g. to hold a publish. */
  readonly wrapBus?: (bus: HotBus) => HotBus;
}

export interface Harness {
  readonly clock: ManualClock;
  /** Publishes as any other producer would. */
  readonly client: HotBus;
  /** The `scheduler-state` bucket, to seed or read state. */
  readonly state: KeyValueStore;
  readonly logs: () => LogLine[];
  startReplica(opts?: ReplicaOptions): Promise<RunningService>;
  /**
   * Waits until `sleepers` loops are asleep again, then returns the scheduler's messages stored so far.
   * A marker published last proves the capture has caught up: the stream delivers in order.
   */
  settled(sleepers: number): Promise<CapturedMessage[]>;
  /** The stored `{ lastTick, at }` of a schedule. */
  readState(name: string): Promise<{ lastTick: string; at: string } | undefined>;
  close(): Promise<void>;
}

const decoder = new TextDecoder();
const MARKER_PREFIX = 'test-marker-';

export async function startHarness(start: string): Promise<Harness> {
  const nats: NatsServer = await startNatsServer();
  const transports: Transport[] = [];
  const running: RunningService[] = [];
  const connect = async () => {
    const transport = await NatsTransport.connect({ servers: nats.url });
    transports.push(transport);
    return transport;
  };
  const clientTransport = await connect();
  const client = await createHotBus(clientTransport, { service: 'test-client' });
  const state = await clientTransport.keyValue(SCHEDULER_STATE_BUCKET);
  const requests: Capture = await captureSubject(nats.url, Subjects.ReportsRequest);
  const clock = new ManualClock(start);
  const lines: string[] = [];
  const logger = createLogger({ service: 'scheduler', level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  let markers = 0;

  return {
    clock,
    client,
    state,
    logs: () => lines.map((line) => JSON.parse(line) as LogLine),
    async startReplica({ schedules, wrapBus = (bus: HotBus) => bus }: ReplicaOptions = {}) {
      const config = parseConfig(SchedulerEnv, {
        SCHEDULER_RETRY_DELAY: '10s',
        ...(schedules ? { SCHEDULES: JSON.stringify(schedules) } : {}),
      });
      const bus = await createHotBus(await connect(), { service: 'scheduler', logger });
      const replica = await startScheduler({ bus: wrapBus(bus), logger, config, clock });
      running.push(replica);
      return replica;
    },
    async settled(sleepers) {
      await waitFor(() => clock.sleepers.length === sleepers, { what: `${sleepers} scheduler loops asleep` });
      const marker = `${MARKER_PREFIX}${++markers}`;
      await client.publish(Subjects.ReportsRequest, { requestId: marker, period: 'day' });
      const isMarker = (m: CapturedMessage) => (m.json as { requestId?: string }).requestId?.startsWith(MARKER_PREFIX) === true;
      await waitFor(() => requests.messages.some((m) => (m.json as { requestId?: string }).requestId === marker), { what: `marker ${marker}` });
      return requests.messages.filter((m) => !isMarker(m));
    },
    async readState(name) {
      const entry = await state.get(name);
      return entry ? (JSON.parse(decoder.decode(entry.value)) as { lastTick: string; at: string }) : undefined;
    },
    async close() {
      for (const replica of running) await replica.stop();
      await requests.stop();
      for (const transport of transports) await transport.close();
      await nats.stop();
    },
  };
}

/** What a test usually checks of a stored request: its payload and its de-duplication id. */
export function summary(message: CapturedMessage): { payload: unknown; msgId: string | undefined } {
  return { payload: message.json, msgId: message.headers['Nats-Msg-Id']?.[0] };
}
