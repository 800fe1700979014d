import { MemoryTransport } from '@hotrepos/bus';
import type { ReportStatus } from '@hotrepos/contracts';
import { describe, expect, it } from 'vitest';
import { ReportStatusStore } from './index.js';

const queued: ReportStatus = { reportId: 'r-1', state: 'queued', pagesDone: 0, pagesTotal: 5, updatedAt: '2026-11-27T12:00:00.000Z' };

async function storeWith(status: ReportStatus) {
  const statuses = await ReportStatusStore.open(new MemoryTransport());
  const created = await statuses.createEntry(status);
  if (!created) throw new Error('not created');
  return { statuses, created };
}

describe('ReportStatusStore', () => {
  it('updates from the entry the caller has, without reading it again', async () => {
    const { statuses, created } = await storeWith(queued);
    const after = await statuses.updateEntry('r-1', (s) => ({ ...s, state: 'fetching' }), { from: created });
    expect(after?.status.state).toBe('fetching');
    expect(after?.revision).toBeGreaterThan(created.revision);
    expect(await statuses.get('r-1')).toMatchObject({ state: 'fetching' });
  });

  it('a stale entry costs a retry, and the change is applied to the status as stored', async () => {
    const { statuses, created } = await storeWith(queued);
    await statuses.update('r-1', (s) => ({ ...s, pagesDone: 3 }));
    const after = await statuses.update('r-1', (s) => ({ ...s, pagesDone: s.pagesDone + 1 }), { from: created });
    expect(after?.pagesDone).toBe(4);
  });

  it('decides "nothing to change" only on a fresh read, never on the caller’s possibly stale entry', async () => {
    const { statuses, created } = await storeWith(queued);
    await statuses.update('r-1', (s) => ({ ...s, state: 'fetching' }));
    const stale = { ...created, status: { ...created.status, state: 'ready' as const } };
    const after = await statuses.update('r-1', (s) => (s.state === 'fetching' ? { ...s, state: 'aggregating' } : undefined), { from: stale });
    expect(after?.state).toBe('aggregating');
  });

  it('the fresh read after "nothing to change" on the caller’s entry is no attempt: one attempt is enough', async () => {
    const { statuses, created } = await storeWith(queued);
    // Nothing to change on the stale entry, nor on the stored one: the stored status comes back.
    const unchanged = await statuses.updateEntry('r-1', (s) => (s.state === 'fetching' ? { ...s, state: 'aggregating' } : undefined), { from: created, maxAttempts: 1 });
    expect(unchanged).toEqual(created);
    // Nothing to change on the stale entry, something on the stored one: written with the one attempt.
    await statuses.update('r-1', (s) => ({ ...s, state: 'fetching' }));
    const after = await statuses.updateEntry('r-1', (s) => (s.state === 'fetching' ? { ...s, state: 'aggregating' } : undefined), { from: created, maxAttempts: 1 });
    expect(after?.status.state).toBe('aggregating');
  });

  it('tryUpdate writes once and gives up on a conflict, leaving the newer status alone', async () => {
    const { statuses, created } = await storeWith(queued);
    expect(await statuses.tryUpdate('r-1', (s) => ({ ...s, pagesDone: 1 }), created)).toBe(true);
    expect(await statuses.tryUpdate('r-1', (s) => ({ ...s, pagesDone: 2 }), created)).toBe(false);
    expect(await statuses.get('r-1')).toMatchObject({ pagesDone: 1 });
  });
});
