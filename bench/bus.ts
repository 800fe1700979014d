/**
 * `npm run bench -- bus`: the typed bus against raw JetStream on one real nats-server, for small
 * and large payloads, run alternately so drift on a shared machine hits both variants alike.
 */
import { startNatsServer } from '@hotrepos/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ACK_WAIT_MS, CONCURRENCY, resetStream } from './bus/broker.js';
import { blobFor } from './bus/contract.js';
import { runLoad, type Sample, type Variant } from './bus/load.js';
import { rawVariant } from './bus/raw.js';
import { renderBusTables, type CaseResult } from './bus/report.js';
import { typedVariant } from './bus/typed.js';
import { writeSection } from './shared/docs.js';
import { describeMachine, machineLine } from './shared/machine.js';

const CASES = [
  { payload: '1 KB', bytes: 1024, warmup: 2_000, count: 20_000 },
  { payload: '100 KB', bytes: 100 * 1024, warmup: 200, count: 2_000 },
] as const;
const ROUNDS = 3;
/** Publishes awaiting their ack at once, in both variants. */
const WINDOW = 64;
const PHASE_TIMEOUT_MS = 60_000;
const VARIANTS: ReadonlyArray<readonly ['raw' | 'typed', Variant]> = [
  ['raw', rawVariant],
  ['typed', typedVariant],
];

export async function run(): Promise<void> {
  const machine = await describeMachine();
  const server = await startNatsServer();
  const cases: CaseResult[] = [];
  try {
    const admin = await connect({ servers: server.url, name: 'bench-admin' });
    try {
      const jsm = await jetstreamManager(admin);
      for (const c of CASES) {
        const samples: Record<'raw' | 'typed', Sample[]> = { raw: [], typed: [] };
        const plan = { warmup: c.warmup, count: c.count, window: WINDOW, blob: blobFor(c.bytes), timeoutMs: PHASE_TIMEOUT_MS };
        for (let round = 1; round <= ROUNDS; round++) {
          for (const [name, variant] of VARIANTS) {
            await resetStream(jsm);
            const sample = await runLoad(variant, server.url, plan);
            samples[name].push(sample);
            // Progress goes to stderr so stdout is only the table.
            console.error(`bus ${c.payload} ${name} #${round}: ${Math.round(sample.msgsPerSec)} msgs/s, p50 ${sample.p50Ms.toFixed(2)} ms, p99 ${sample.p99Ms.toFixed(2)} ms`);
          }
        }
        cases.push({ payload: c.payload, ...samples });
      }
      await resetStream(jsm);
    } finally {
      await admin.close();
    }
  } finally {
    await server.stop();
  }

  const tables = renderBusTables(cases);
  console.log(tables);
  await writeSection('Bus', `${describeSettings()}\n\nMeasured ${machineLine(machine)}.\n\n${tables}`, machine);
}

function describeSettings(): string {
  const counts = CASES.map((c) => `${c.count.toLocaleString('en-US')} × ${c.payload} after ${c.warmup.toLocaleString('en-US')} warm-up`).join(', ');
  return [
    '`npm run bench -- bus` publishes through the typed bus (`@hotrepos/bus`: contract check on both',
    'sides, scope headers, scope restored around the handler) and through raw `@nats-io/jetstream`',
    '(same JSON bytes, manual ack) against one local nats-server, on the same stream and consumer',
    `settings: file storage, limits retention, explicit ack, ack wait ${ACK_WAIT_MS / 1000} s, pull batch and`,
    `handler concurrency ${CONCURRENCY}, at most ${WINDOW} publishes awaiting their ack. Producer and consumer`,
    'use separate connections in one process. Latency runs from the send time stamped in the payload',
    'to handler entry; throughput is messages over first publish to last message handled.',
    `Per run: ${counts}. Variants alternate raw, typed, ${ROUNDS} rounds each, on a fresh stream every`,
    'time; figures are medians over the rounds.',
  ].join('\n');
}
