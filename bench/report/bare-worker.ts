/**
 * One process of the bare pipeline (bare-pipeline.ts): `aggregator`, `fetcher` or `importer`, doing
 * the floor's work (floor.ts) between raw JetStream pulls and publishes. Nothing the services add is
 * here: no contract checks, no scope, no logging, no status or page keys, no object store; the
 * aggregator joins pages in memory. Any failure ends the process, so a broken run fails loudly.
 */
import type { LanguageGroup, Repo } from '@hotrepos/contracts';
import { jetstream, type Consumer, type JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { groupByLanguage, PAGES, searchPages, writeReport } from './floor.js';
import { BARE_STREAM, bareDurable, BareSubjects, type BareJob, type BareRole } from './bare-topology.js';

interface Request { readonly reportId: string; readonly since: string }
interface Fetch extends Request { readonly page: number }
interface Page extends Fetch { readonly items: Repo[] }
interface Aggregated extends Request { readonly groups: LanguageGroup[] }

const job = JSON.parse(process.argv[2] ?? '') as BareJob;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const nc = await connect({ servers: job.natsUrl, noAsyncTraces: true });
const js = jetstream(nc);
const send = (subject: string, body: unknown, msgID: string) => js.publish(subject, encoder.encode(JSON.stringify(body)), { msgID });
const read = <T>(m: JsMsg) => JSON.parse(decoder.decode(m.data)) as T;

const search = searchPages(job.apiUrl, job.concurrency);
/** reportId → its pages so far, by page number. */
const joining = new Map<string, Map<number, Repo[]>>();

const handlers: Record<BareRole, Partial<Record<string, (m: JsMsg) => Promise<void>>>> = {
  aggregator: {
    [BareSubjects.request]: async (m) => {
      const { reportId, since } = read<Request>(m);
      await Promise.all(Array.from({ length: PAGES }, (_, i) => send(BareSubjects.fetch, { reportId, since, page: i + 1 }, `${reportId}:fetch:${i + 1}`)));
    },
    [BareSubjects.page]: async (m) => {
      const { reportId, since, page, items } = read<Page>(m);
      let pages = joining.get(reportId);
      if (!pages) joining.set(reportId, (pages = new Map()));
      pages.set(page, items);
      if (pages.size < PAGES) return;
      joining.delete(reportId);
      const groups = groupByLanguage([...pages.entries()].sort(([a], [b]) => a - b).map(([, repos]) => repos));
      await send(BareSubjects.aggregated, { reportId, since, groups }, `${reportId}:aggregated`);
    },
  },
  fetcher: {
    [BareSubjects.fetch]: async (m) => {
      const { reportId, since, page } = read<Fetch>(m);
      await send(BareSubjects.page, { reportId, since, page, items: await search.page(since, page) }, `${reportId}:page:${page}`);
    },
  },
  importer: {
    [BareSubjects.aggregated]: async (m) => {
      const { reportId, since, groups } = read<Aggregated>(m);
      await writeReport(job.mediaRoot, reportId, since, groups);
      await send(BareSubjects.ready, { reportId }, `${reportId}:ready`);
    },
  },
};

/** At most `concurrency` handlers at once, each message acknowledged once handled. */
async function serve(consumer: Consumer, handle: (m: JsMsg) => Promise<void>): Promise<void> {
  const messages = await consumer.consume({ max_messages: job.concurrency });
  const running = new Set<Promise<void>>();
  for await (const m of messages) {
    if (running.size >= job.concurrency) await Promise.race(running);
    const task: Promise<void> = handle(m)
      .then(() => m.ack())
      .catch((err: unknown) => {
        console.error(`bare ${job.role} failed on ${m.subject}:`, err);
        process.exit(1);
      })
      .finally(() => running.delete(task));
    running.add(task);
  }
}

process.once('SIGTERM', () => process.exit(0));
for (const [subject, handle] of Object.entries(handlers[job.role])) {
  if (handle) void serve(await js.consumers.get(BARE_STREAM, bareDurable(subject)), handle);
}
console.log('pulling');
