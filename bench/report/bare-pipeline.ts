/**
 * The bare pipeline: the services' processes and hops (request → aggregator → 5 fetch jobs →
 * fetcher → 5 pages → aggregator → importer → ready) over raw JetStream, with only the floor's work
 * in between (bare-worker.ts). It shows what the topology itself costs on the machine: what the
 * broker, the extra processes and the hops take before any of the services' own features (contract
 * checks, scope, status and progress in KV, the exactly-once join, the object store, logging).
 */
import { repoRoot, startNatsServer, startProcess, type NatsServer, type RunningProcess } from '@hotrepos/testing';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAll } from '../shared/run-all.js';
import { BARE_STREAM, bareDurable, BareSubjects, type BareJob, type BareRole } from './bare-topology.js';
import { bundleLike } from './bundle.js';
import type { RunReport } from './load.js';
import { AGGREGATOR_CONCURRENCY, FETCH_SLOTS, IMPORTER_CONCURRENCY, type RunningPipeline } from './pipeline.js';

/** What each role pulls, with the services' settings in the benchmark. */
const ROLES: readonly { role: BareRole; subjects: readonly string[]; concurrency: number }[] = [
  { role: 'aggregator', subjects: [BareSubjects.request, BareSubjects.page], concurrency: AGGREGATOR_CONCURRENCY },
  { role: 'fetcher', subjects: [BareSubjects.fetch], concurrency: FETCH_SLOTS },
  { role: 'importer', subjects: [BareSubjects.aggregated], concurrency: IMPORTER_CONCURRENCY },
];
const WORKER = 'bench/report/bare-worker.ts';
const START_TIMEOUT_MS = 60_000;
const REPORT_TIMEOUT_MS = 60_000;

export async function startBarePipeline(apiUrl: string, since: string): Promise<RunningPipeline> {
  const dir = await mkdtemp(join(tmpdir(), 'hotrepos-bench-bare-'));
  const services: RunningProcess[] = [];
  let nats: NatsServer | undefined;
  let nc: NatsConnection | undefined;
  // Nothing may outlive the benchmark.
  const stop = () =>
    runAll(
      [() => nc?.close(), () => Promise.all(services.map((s) => s.stop('SIGTERM'))), () => nats?.stop(), () => rm(dir, { recursive: true, force: true })],
      'stopping the bare pipeline failed',
    );

  try {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url, name: 'bench-bare', noAsyncTraces: true });
    // As the services' streams and consumers: file storage, limits retention, explicit ack, ack wait 30 s.
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: BARE_STREAM, subjects: ['bare.>'], storage: StorageType.File, retention: RetentionPolicy.Limits });
    for (const { subjects } of ROLES) {
      for (const subject of subjects) {
        await jsm.consumers.add(BARE_STREAM, { durable_name: bareDurable(subject), filter_subject: subject, ack_policy: AckPolicy.Explicit, ack_wait: 30_000_000_000 });
      }
    }
    // Bundled and started as the fetcher's image runs the fetcher, so the two compare process for process.
    const bundle = await bundleLike('fetcher', WORKER, join(dir, 'bare', 'main.mjs'));
    for (const { role, concurrency } of ROLES) {
      const job: BareJob = { role, natsUrl: nats.url, apiUrl, mediaRoot: join(dir, 'media'), concurrency };
      services.push(startProcess({ name: role, command: process.execPath, args: [bundle.main, JSON.stringify(job)], env: bundle.env, cwd: repoRoot }));
    }
    await Promise.all(services.map((s) => s.waitForOutput('pulling', START_TIMEOUT_MS)));

    const waiting = new Map<string, () => void>();
    const decoder = new TextDecoder();
    nc.subscribe(BareSubjects.ready, {
      callback: (err, m) => {
        if (err) return;
        const { reportId } = JSON.parse(decoder.decode(m.data)) as { reportId: string };
        waiting.get(reportId)?.();
      },
    });
    const js = jetstream(nc);
    const encoder = new TextEncoder();
    const run: RunReport = async (reportId) => {
      let timer: NodeJS.Timeout | undefined;
      const ready = new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`bare report ${reportId} not ready within ${REPORT_TIMEOUT_MS} ms`)), REPORT_TIMEOUT_MS);
        waiting.set(reportId, resolve);
      });
      try {
        await Promise.all([ready, js.publish(BareSubjects.request, encoder.encode(JSON.stringify({ reportId, since })), { msgID: reportId })]);
      } finally {
        clearTimeout(timer);
        waiting.delete(reportId);
      }
    };
    return {
      services,
      natsPid: nats.pid,
      run,
      logs: () => services.map((s) => `--- bare ${s.name} (pid ${s.pid})\n${s.output().slice(-2000)}`).join('\n'),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
