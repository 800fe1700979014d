import { CasConflictError } from '../errors.js';
import { subjectMatches } from '@hotrepos/contracts';
import type { KeyValueStore, KvEntry, KvWatch } from '../transport.js';
import { AsyncQueue } from './async-queue.js';

/** In-process KV bucket with the NATS semantics the services rely on: per-bucket revisions, CAS, watch. */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #entries = new Map<string, KvEntry>();
  readonly #watchers = new Set<{ filter: string; queue: AsyncQueue<KvEntry> }>();
  #revision = 0;

  constructor(readonly bucket: string) {}

  get(key: string): Promise<KvEntry | undefined> {
    const e = this.#entries.get(key);
    return Promise.resolve(e?.operation === 'PUT' ? e : undefined);
  }

  put(key: string, value: Uint8Array): Promise<number> {
    return Promise.resolve(this.#write(key, value, 'PUT'));
  }

  create(key: string, value: Uint8Array): Promise<number> {
    if (this.#entries.get(key)?.operation === 'PUT') return Promise.reject(new CasConflictError(this.bucket, key));
    return this.put(key, value);
  }

  update(key: string, value: Uint8Array, revision: number): Promise<number> {
    if (this.#entries.get(key)?.revision !== revision) return Promise.reject(new CasConflictError(this.bucket, key));
    return this.put(key, value);
  }

  delete(key: string): Promise<void> {
    this.#write(key, new Uint8Array(), 'DEL');
    return Promise.resolve();
  }

  keys(filter = '>'): Promise<string[]> {
    return Promise.resolve(
      [...this.#entries.values()]
        .filter((e) => e.operation === 'PUT' && subjectMatches(filter, e.key))
        .map((e) => e.key)
        .sort(),
    );
  }

  watch(opts: { key?: string } = {}): Promise<KvWatch> {
    const filter = opts.key ?? '>';
    const queue = new AsyncQueue<KvEntry>();
    const watcher = { filter, queue };
    const current = [...this.#entries.values()].filter((e) => e.operation === 'PUT' && subjectMatches(filter, e.key));
    for (const e of current.sort((a, b) => a.revision - b.revision)) queue.push(e);
    this.#watchers.add(watcher);
    return Promise.resolve({
      stop: () => {
        this.#watchers.delete(watcher);
        queue.end();
      },
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    });
  }

  close(): void {
    for (const w of this.#watchers) w.queue.end();
    this.#watchers.clear();
  }

  #write(key: string, value: Uint8Array, operation: KvEntry['operation']): number {
    const entry: KvEntry = { key, value: value.slice(), revision: ++this.#revision, operation };
    this.#entries.set(key, entry);
    for (const w of this.#watchers) if (subjectMatches(w.filter, key)) w.queue.push(entry);
    return entry.revision;
  }
}
