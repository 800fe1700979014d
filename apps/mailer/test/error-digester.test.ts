/** The digest window on its own: one digest per window, counts per fingerprint, the cap, reports released with their digest's outcome, and flush on stop. */
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@hotrepos/testing';
import { describe, expect, it } from 'vitest';
import { createErrorDigester } from '../src/digest/error-digester.js';
import type { DigestOutcome } from '../src/digest/send-digest.js';
import type { ErrorDigestData } from '../src/templates/error-digest.js';
import { errorReport } from './harness.js';

function digester(windowMs: number, maxFingerprints = 50, outcome: DigestOutcome = 'sent') {
  const sent: ErrorDigestData[] = [];
  const d = createErrorDigester({
    windowMs,
    maxFingerprints,
    now: () => new Date(),
    send: async (digest) => {
      sent.push(digest);
      return outcome;
    },
  });
  return { d, sent };
}

describe('error digester', () => {
  it('sends one digest per window with a count per fingerprint, the first and last time seen', async () => {
    const { d, sent } = digester(200);
    for (let i = 0; i < 1000; i++) void d.record(errorReport('fp-a', { occurredAt: new Date(Date.UTC(2026, 10, 27, 16, 0, i % 60)).toISOString() }));
    void d.record(errorReport('fp-b', { service: 'importer', subject: undefined, stack: undefined }));
    expect(sent).toHaveLength(0);
    await waitFor(() => sent.length === 1);
    expect(sent[0]?.entries).toEqual([
      expect.objectContaining({ fingerprint: 'fp-a', count: 1000, service: 'fetcher', subject: 'reports.fetch', firstSeen: '2026-11-27T16:00:00.000Z', lastSeen: '2026-11-27T16:00:59.000Z' }),
      expect.objectContaining({ fingerprint: 'fp-b', count: 1, service: 'importer' }),
    ]);
    expect(sent[0]?.entries[1]).not.toHaveProperty('subject');
    expect(sent[0]?.omitted).toBeUndefined();

    void d.record(errorReport('fp-a'));
    await waitFor(() => sent.length === 2);
    expect(sent[1]?.entries.map((e) => e.count)).toEqual([1]);
  });

  it('lists at most maxFingerprints and counts the rest', async () => {
    const { d, sent } = digester(60_000, 3);
    for (const fp of ['a', 'b', 'c', 'd', 'e', 'd', 'a']) void d.record(errorReport(fp));
    await d.flush();
    expect(sent[0]?.entries.map((e) => `${e.fingerprint}:${e.count}`)).toEqual(['a:2', 'b:1', 'c:1']);
    expect(sent[0]?.omitted).toEqual({ fingerprints: 2, reports: 3 });
  });

  it('keeps a long sample short', async () => {
    const { d, sent } = digester(60_000);
    void d.record(errorReport('fp', { message: 'm'.repeat(10_000), stack: 's'.repeat(50_000) }));
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
        return 'sent';
      },
    });
    const recorded = d.record(errorReport('fp-stop'));
    await d.flush();
    expect(sent).toEqual(['fp-stop']);
    await expect(recorded).resolves.toBe('sent');
    await d.flush();
    expect(sent).toEqual(['fp-stop']);
  });

  it("releases each report only when its window's digest is out, with that digest's outcome", async () => {
    for (const outcome of ['sent', 'dropped', 'deferred'] as const) {
      const { d, sent } = digester(200, 50, outcome);
      const released: string[] = [];
      const first = d.record(errorReport('fp-1')).then((o) => void released.push(`1:${o}`));
      const second = d.record(errorReport('fp-2')).then((o) => void released.push(`2:${o}`));
      await sleep(50);
      expect(released).toEqual([]);
      await Promise.all([first, second]);
      expect(sent).toHaveLength(1);
      expect(released).toEqual([`1:${outcome}`, `2:${outcome}`]);
    }
  });

  it("holds a report counted while the last window's digest is being sent until its own window's digest is out", async () => {
    const sent: string[] = [];
    const gates: (() => void)[] = [];
    const d = createErrorDigester({
      windowMs: 50,
      maxFingerprints: 50,
      now: () => new Date(),
      send: async (digest) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        sent.push(digest.entries.map((e) => e.fingerprint).join());
        return 'sent';
      },
    });
    let laterReleased = false;
    const early = d.record(errorReport('fp-early'));
    await waitFor(() => gates.length === 1);
    const later = d.record(errorReport('fp-later')).then(() => (laterReleased = true));
    gates[0]?.();
    await early;
    await sleep(20);
    expect(laterReleased).toBe(false);
    await waitFor(() => gates.length === 2);
    gates[1]?.();
    await later;
    expect(sent).toEqual(['fp-early', 'fp-later']);
  });

  it('defers a report recorded after flush at once, opening no window', async () => {
    const { d, sent } = digester(60_000);
    await d.flush();
    await expect(d.record(errorReport('fp-late'))).resolves.toBe('deferred');
    await d.flush();
    expect(sent).toHaveLength(0);
  });

  it('releases the reports as deferred when a send breaks its promise not to reject', async () => {
    const d = createErrorDigester({ windowMs: 60_000, maxFingerprints: 50, now: () => new Date(), send: () => Promise.reject(new Error('bug')) });
    const recorded = d.record(errorReport('fp-bug'));
    await d.flush();
    await expect(recorded).resolves.toBe('deferred');
  });
});
