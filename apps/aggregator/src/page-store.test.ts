import { MemoryTransport } from '@hotrepos/bus';
import type { ReportPage } from '@hotrepos/contracts';
import { describe, expect, it } from 'vitest';
import { PageStore } from './page-store.js';

const page = (reportId: string, n: number, description = 'x'): ReportPage => ({
  reportId,
  page: n,
  totalCount: 10,
  incompleteResults: false,
  items: [{ id: n, fullName: `o/r${n}`, htmlUrl: `https://github.com/o/r${n}`, description, language: 'Go', stars: n, forks: 0, createdAt: '2026-11-20T00:00:00Z' }],
});

describe('PageStore', () => {
  it('counts and joins the pages stored by this replica and by others alike', async () => {
    const transport = new MemoryTransport();
    const [mine, other] = await Promise.all([PageStore.open(transport), PageStore.open(transport)]);
    expect(await mine.save(page('r', 1))).toBe(true);
    expect(await other.save(page('r', 2))).toBe(true);
    expect(await other.save(page('r', 1))).toBe(false);
    for (const store of [mine, other]) {
      const stored = await store.stored('r', 3);
      expect(stored.count).toBe(2);
      expect(stored.pages().map((p) => p.page)).toEqual([1, 2]);
    }
  });

  it('reads a forgotten page back from the bucket', async () => {
    const store = await PageStore.open(new MemoryTransport());
    await store.save(page('r', 1));
    await store.save(page('s', 1));
    expect(store.remembered('r')).toBe(1);
    const both = store.rememberedBytes;
    store.forget('r');
    expect(store.remembered('r')).toBe(0);
    expect(store.remembered('s')).toBe(1);
    expect(store.rememberedBytes).toBe(both / 2);
    expect((await store.stored('r', 1)).pages()).toEqual([page('r', 1)]);
  });

  it('past its bound it forgets the reports seen first, whose pages are then read back from the bucket', async () => {
    const store = await PageStore.open(new MemoryTransport());
    const big = 'd'.repeat(4000);
    // About 4 KB a page: 5000 pages is well past the bound.
    for (let i = 0; i < 1000; i++) for (let n = 1; n <= 5; n++) await store.save(page(`r${i}`, n, big));
    expect(store.rememberedBytes).toBeGreaterThan(15 * 1024 * 1024);
    expect(store.rememberedBytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(store.remembered('r0')).toBe(0);
    expect(store.remembered('r999')).toBe(5);
    expect((await store.stored('r0', 5)).count).toBe(5);
    expect((await store.stored('r999', 5)).pages().map((p) => p.page)).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not trust a page it remembers past the bucket\'s TTL, when the bucket may have dropped or replaced it', async () => {
    const transport = new MemoryTransport();
    let now = Date.parse('2026-11-27T12:00:00Z');
    const store = await PageStore.open(transport, { now: () => new Date(now) });
    await store.save(page('r', 1, 'old'));
    await store.save(page('r', 2, 'old'));
    now += 23 * 60 * 60_000;
    expect(store.remembered('r')).toBe(2);
    now += 60 * 60_000;
    expect(store.remembered('r')).toBe(0);
    expect(store.rememberedBytes).toBe(0);
    // The bucket's copies are gone too, and the id is used again: only the new page counts.
    const kv = await transport.keyValue('report-pages');
    await kv.delete('r.1');
    await kv.delete('r.2');
    expect(await store.save(page('r', 1, 'new'))).toBe(true);
    const stored = await store.stored('r', 2);
    expect(stored.count).toBe(1);
    expect(stored.pages()).toEqual([page('r', 1, 'new')]);
  });

  it('drops reports whose pages expired when it remembers new ones', async () => {
    let now = Date.parse('2026-11-27T12:00:00Z');
    const store = await PageStore.open(new MemoryTransport(), { now: () => new Date(now) });
    await store.save(page('old', 1));
    const one = store.rememberedBytes;
    now += 24 * 60 * 60_000 + 1;
    await store.save(page('new', 1));
    expect(store.rememberedBytes).toBe(one);
  });
});
