/**
 * `npm run bench -- bus`: the typed bus against raw JetStream on one real nats-server, for small
 * and large payloads, run alternately so drift on a shared machine hits both variants alike.
 */
import { startNatsServer } from '@hotrepos/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ACK_WAIT_MS, CONCURRENCY, resetStream } from './bus/broker.js';
import { runIsolated, VARIANT_NAMES, type VariantName } from './bus/isolated.js';
import type { Sample } from './bus/load.js';
import { renderBusTables, type CaseResult } from './bus/report.js';
import { writeSection } from './shared/docs.js';
import { describeMachine, machineLine } from './shared/machine.js';

const CASES = [
  { payload: '1 KB', bytes: 1024, warmup: 2_000, count: 20_000, singles: 1_000 },
  { payload: '100 KB', bytes: 100 * 1024, warmup: 200, count: 2_000, singles: 200 },
] as const;
const ROUNDS = 5;
/** Messages in flight in the loaded phase, in both variants; more only lengthens the queue (256 gave no more msgs/s). */
const WINDOW = 64;
const PHASE_TIMEOUT_MS = 60_000;

export async function run(): Promise<void> {
  const machine = await describeMachine();
  const server = await startNatsServer();
  const cases: CaseResult[] = [];
  try {
    const admin = await connect({ servers: server.url, name: 'bench-admin' });
    try {
      const jsm = await jetstreamManager(admin);
      for (const c of CASES) {
        const samples: Record<VariantName, Sample[]> = { raw: [], typed: [] };
        const plan = { warmup: c.warmup, count: c.count, singles: c.singles, window: WINDOW, payloadBytes: c.bytes, timeoutMs: PHASE_TIMEOUT_MS };
        for (let round = 1; round <= ROUNDS; round++) {
          for (const name of VARIANT_NAMES) {
            await resetStream(jsm);
            const sample = await runIsolated({ variant: name, url: server.url, plan });
            samples[name].push(sample);
            // Progress goes to stderr so stdout is only the table.
            console.error(
              `bus ${c.payload} ${name} #${round}: ${Math.round(sample.msgsPerSec)} msgs/s, p50 ${sample.p50Ms.toFixed(2)} / p99 ${sample.p99Ms.toFixed(2)} ms loaded, p50 ${sample.singleP50Ms.toFixed(2)} / p99 ${sample.singleP99Ms.toFixed(2)} ms single`,
            );
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

  const tables = renderBusTables(cases, WINDOW);
  console.log(tables);
  await writeSection('Bus', `${describeSettings()}\n\nMeasured ${machineLine(machine)}.\n\n${tables}`, machine);
}

function describeSettings(): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const counts = CASES.map((c) => `${c.payload}: ${n(c.warmup)} warm-up, ${n(c.count)} loaded, ${n(c.singles)} one at a time`).join('; ');
  return [
    '`npm run bench -- bus` compares the typed bus (`@hotrepos/bus`: contract checked on both sides, scope',
    'headers, scope restored around the handler) with raw `@nats-io/jetstream` (the same JSON bytes, manual ack).',
    '',
    `- Same broker settings for both: one local nats-server, file storage, limits retention, explicit ack, ack wait ${ACK_WAIT_MS / 1000} s,`,
    `  pull batch (\`max_messages\`) and handler concurrency ${CONCURRENCY}; producer and consumer on separate connections.`,
    '- Latency: from the send time stamped in the payload to handler entry.',
    `- Loaded: ${WINDOW} messages in flight, each from its publish until its handler starts (bounding only un-acked`,
    '  publishes let the consumer backlog grow all run, so latency measured run length). msgs/s is messages over',
    `  first publish to last handled; p50 here is about ${WINDOW} ÷ msgs/s, so it restates throughput.`,
    '- One at a time: each message is sent once the previous one was handled, so per-message cost shows',
    '  undiluted; the p50 goal is judged here.',
    `- Per run: ${counts}. Variants alternate raw, typed for ${ROUNDS} rounds, each run in a process of its own`,
    '  (the bus turns on AsyncLocalStorage hooks process-wide) on a freshly created stream; figures are medians.',
  ].join('\n');
}
