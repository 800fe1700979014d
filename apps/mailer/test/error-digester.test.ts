/** The digest window on its own: one digest per window, counts per fingerprint, the cap, and flush on stop. */
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@hotrepos/testing';
import { describe, expect, it } from 'vitest';
import { createErrorDigester } from '../src/digest/error-digester.js';
import type { ErrorDigestData } from '../src/templates/error-digest.js';
import { errorReport } from './harness.js';

function digester(windowMs: number, maxFingerprints = 50) {
  const sent: ErrorDigestData[] = [];
  const d = createErrorDigester({ windowMs, maxFingerprints, now: () => new Date(), send: async (digest) => void sent.push(digest) });
  return { d, sent };
}

describe('error digester', () => {
  it('sends one digest per window with a count per fingerprint, the first and last time seen', async () => {
    const { d, sent } = digester(200);
    for (let i = 0; i < 1000; i++) d.record(errorReport('fp-a', { occurredAt: new Date(Date.UTC(2026, 10, 27, 16, 0, i % 60)).toISOString() }));
    d.record(errorReport('fp-b', { service: 'importer', subject: undefined, stack: undefined }));
    expect(sent).toHaveLength(0);
    await waitFor(() => sent.length === 1);
    expect(sent[0]?.entries).toEqual([
      expect.objectContaining({ fingerprint: 'fp-a', count: 1000, service: 'fetcher', subject: 'reports.fetch', firstSeen: '2026-11-27T16:00:00.000Z', lastSeen: '2026-11-27T16:00:59.000Z' }),
      expect.objectContaining({ fingerprint: 'fp-b', count: 1, service: 'importer' }),
    ]);
    expect(sent[0]?.entries[1]).not.toHaveProperty('subject');
    expect(sent[0]?.omitted).toBeUndefined();

    d.record(errorReport('fp-a'));
    await waitFor(() => sent.length === 2);
    expect(sent[1]?.entries.map((e) => e.count)).toEqual([1]);
  });

  it('lists at most maxFingerprints and counts the rest', async () => {
    const { d, sent } = digester(60_000, 3);
    for (const fp of ['a', 'b', 'c', 'd', 'e', 'd', 'a']) d.record(errorReport(fp));
    await d.flush();
    expect(sent[0]?.entries.map((e) => `${e.fingerprint}:${e.count}`)).toEqual(['a:2', 'b:1', 'c:1']);
    expect(sent[0]?.omitted).toEqual({ fingerprints: 2, reports: 3 });
  });

  it('keeps a long sample short', async () => {
    const { d, sent } = digester(60_000);
    d.record(errorReport('fp', { message: 'm'.repeat(10_000), stack: 's'.repeat(50_000) }));
    await d.flush();
    expect(sent[0]?.entries[0]?.message).toHaveLength(2_000);
    expect(sent[0]?.entries[0]?.stack).toHaveLength(8_000);
  });

  it('sends the open window at once on flush, and waits for digests being sent', async () => {
    const sent: string[] = [];
    const d = createErrorDigester({
      windowMs: 60_000,
      maxFingerprints: 50,
      now: () => new Date(),
      send: async (digest) => {
        await sleep(100);
        sent.push(digest.entries[0]?.fingerprint ?? '');
      },
    });
    d.record(errorReport('fp-stop'));
    await d.flush();
    expect(sent).toEqual(['fp-stop']);
    await d.flush();
    expect(sent).toEqual(['fp-stop']);
  });
});
