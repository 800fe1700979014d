/** The digest window on its own: one digest per window, counts per fingerprint, the cap, reports released with their digest's outcome, and flush on stop. */
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@hotrepos/testing';
import { describe, expect, it } from 'vitest';
import { createErrorDigester, type Recorded } from '../src/digest/error-digester.js';
import type { DigestOutcome } from '../src/digest/send-digest.js';
import type { ErrorDigestData } from '../src/templates/error-digest.js';
import { errorReport } from './harness.js';

function digester(windowMs: number, maxFingerprints = 50, outcome: DigestOutcome = 'sent', maxHeld = 1_000) {
  const sent: ErrorDigestData[] = [];
  const d = createErrorDigester({
    windowMs,
    maxFingerprints,
    maxHeld,
    now: () => new Date(),
    send: async (digest) => {
      sent.push(digest);
      return outcome;
    },
  });
  return { d, sent };
}

/** The outcome a held report waits for; a report released at once fails the test here. */
function held(recorded: Recorded): Promise<DigestOutcome> {
  if (recorded === 'released') throw new Error('expected the report to be held');
  return recorded;
}

describe('error digester', () => {
  it('sends one digest per window with a count per fingerprint, the first and last time seen', async () => {
    const { d, sent } = digester(200);
    for (let i = 0; i < 1000; i++) void d.record(errorReport('fp-a', { occurredAt: new Date(Date.UTC(2026, 10, 27, 16, 0, i % 60)).toISOString() }), i);
    void d.record(errorReport('fp-b', { service: 'importer', subject: undefined, stack: undefined }), 1000);
    expect(sent).toHaveLength(0);
    await waitFor(() => sent.length === 1);
    expect(sent[0]?.entries).toEqual([
      expect.objectContaining({ fingerprint: 'fp-a', count: 1000, service: 'fetcher', subject: 'reports.fetch', firstSeen: '2026-11-27T16:00:00.000Z', lastSeen: '2026-11-27T16:00:59.000Z' }),
      expect.objectContaining({ fingerprint: 'fp-b', count: 1, service: 'importer' }),
    ]);
    expect(sent[0]?.entries[1]).not.toHaveProperty('subject');
    expect(sent[0]?.omitted).toBeUndefined();

    void d.record(errorReport('fp-a'), 1001);
    await waitFor(() => sent.length === 2);
    expect(sent[1]?.entries.map((e) => e.count)).toEqual([1]);
  });

  it('lists at most maxFingerprints and counts the rest', async () => {
    const { d, sent } = digester(60_000, 3);
    for (const [i, fp] of ['a', 'b', 'c', 'd', 'e', 'd', 'a'].entries()) void d.record(errorReport(fp), i);
    await d.flush();
    expect(sent[0]?.entries.map((e) => `${e.fingerprint}:${e.count}`)).toEqual(['a:2', 'b:1', 'c:1']);
    expect(sent[0]?.omitted).toEqual({ fingerprints: 2, reports: 3 });
  });

  it('keeps a long sample short', async () => {
    const { d, sent } = digester(60_000);
    void d.record(errorReport('fp', { message: 'm'.repeat(10_000), stack: 's'.repeat(50_000) }), 1);
    await d.flush();
    expect(sent[0]?.entries[0]?.message).toHaveLength(2_000);
    expect(sent[0]?.entries[0]?.stack).toHaveLength(8_000);
  });

  it('sends the open window at once on flush, and waits for digests being sent', async () => {
    const sent: string[] = [];
    const d = createErrorDigester({
      windowMs: 60_000,
      maxFingerprints: 50,
      maxHeld: 1_000,
      now: () => new Date(),
      send: async (digest) => {
        await sleep(100);
        sent.push(digest.entries[0]?.fingerprint ?? '');
        return 'sent';
      },
    });
    const recorded = d.record(errorReport('fp-stop'), 1);
    await d.flush();
    expect(sent).toEqual(['fp-stop']);
    await expect(held(recorded)).resolves.toBe('sent');
    await d.flush();
    expect(sent).toEqual(['fp-stop']);
  });

  it("releases each report only when its window's digest is out, with that digest's outcome", async () => {
    for (const outcome of ['sent', 'dropped', 'deferred'] as const) {
      const { d, sent } = digester(200, 50, outcome);
      const released: string[] = [];
      const first = held(d.record(errorReport('fp-1'), 1)).then((o) => void released.push(`1:${o}`));
      const second = held(d.record(errorReport('fp-2'), 2)).then((o) => void released.push(`2:${o}`));
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
      maxHeld: 1_000,
      now: () => new Date(),
      send: async (digest) => {
        await new Promise<void>((resolve) => gates.push(resolve));
        sent.push(digest.entries.map((e) => e.fingerprint).join());
        return 'sent';
      },
    });
    let laterReleased = false;
    const early = held(d.record(errorReport('fp-early'), 1));
    await waitFor(() => gates.length === 1);
    const later = held(d.record(errorReport('fp-later'), 2)).then(() => (laterReleased = true));
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
    await expect(held(d.record(errorReport('fp-late'), 1))).resolves.toBe('deferred');
    await d.flush();
    expect(sent).toHaveLength(0);
  });

  it('releases the reports as deferred when a send breaks its promise not to reject', async () => {
    const d = createErrorDigester({ windowMs: 60_000, maxFingerprints: 50, maxHeld: 1_000, now: () => new Date(), send: () => Promise.reject(new Error('bug')) });
    const recorded = held(d.record(errorReport('fp-bug'), 1));
    await d.flush();
    await expect(recorded).resolves.toBe('deferred');
  });

  it('holds up to maxHeld reports; past it, repeats of held fingerprints are released at once and new ones still held', async () => {
    const { d, sent } = digester(60_000, 50, 'sent', 3);
    const outcomes = [
      d.record(errorReport('fp-storm'), 1),
      d.record(errorReport('fp-storm'), 2),
      d.record(errorReport('fp-other'), 3),
      d.record(errorReport('fp-storm'), 4),
      d.record(errorReport('fp-other'), 5),
      d.record(errorReport('fp-new'), 6),
      d.record(errorReport('fp-storm'), 7),
    ];
    expect(outcomes.map((o) => (o === 'released' ? 'released' : 'held'))).toEqual(['held', 'held', 'held', 'released', 'released', 'held', 'released']);
    await d.flush();
    expect(sent).toHaveLength(1);
    expect(Object.fromEntries(sent[0]!.entries.map((e) => [e.fingerprint, e.count]))).toEqual({ 'fp-storm': 4, 'fp-other': 2, 'fp-new': 1 });
  });

  it('counts a message delivered again while its window holds it once', async () => {
    const { d, sent } = digester(60_000);
    const first = held(d.record(errorReport('fp-again'), 41));
    const again = held(d.record(errorReport('fp-again'), 41));
    await d.flush();
    await expect(Promise.all([first, again])).resolves.toEqual(['sent', 'sent']);
    expect(sent[0]?.entries.map((e) => e.count)).toEqual([1]);
  });
});
