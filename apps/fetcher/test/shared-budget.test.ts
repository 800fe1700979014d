/** The shared budget's own rules, on the in-process KV (the NATS path is covered by rate-limit.test.ts). */
import { MemoryTransport } from '@hotrepos/bus';
import { describe, expect, it } from 'vitest';
import { budgetKey, SharedBudget } from '../src/shared-budget.js';

const answer = (remaining: number, limit: number, resetInMs = 60_000) => ({ limit, remaining, resetAt: Date.now() + resetInMs });

async function budget() {
  const kv = await new MemoryTransport().keyValue('github-rate-limit');
  return { kv, budget: new SharedBudget(kv, budgetKey('token'), { safetyMarginMs: 0, pollMs: 5 }) };
}

describe('SharedBudget', () => {
  it('lets one probe out first, then shares the budget GitHub names', async () => {
    const { kv, budget: b } = await budget();
    const probe = await b.reserve();
    // Until the probe is answered, nobody else may guess.
    let second = false;
    const waiting = b.reserve().then((r) => ((second = true), r));
    await new Promise((r) => setTimeout(r, 50));
    expect(second).toBe(false);
    await probe.settle(answer(2, 3));
    await (await waiting).settle(answer(1, 3));
    const left = await b.reserve();
    await left.settle(answer(0, 3));
    const state = JSON.parse(new TextDecoder().decode((await kv.get(budgetKey('token')))!.value)) as { remaining: number; limit: number };
    expect(state).toMatchObject({ remaining: 0, limit: 3 });
  });

  it('spends a plentiful budget without writing the shared key for every request', async () => {
    const { kv, budget: b } = await budget();
    await (await b.reserve()).settle(answer(100_000, 100_000));
    await (await b.reserve()).settle(answer(99_999, 100_000));
    const revision = (await kv.get(budgetKey('token')))!.revision;
    for (let i = 0; i < 20; i++) await (await b.reserve()).settle(answer(99_998 - i, 100_000));
    expect((await kv.get(budgetKey('token')))!.revision).toBe(revision);
  });

  it('closes the budget for everyone on a rate-limit answer until the reset it names', async () => {
    const { budget: b } = await budget();
    await (await b.reserve()).settle(answer(100_000, 100_000));
    await (await b.reserve()).settle({ remaining: 0, resetAt: Date.now() + 300, retryAt: Date.now() + 300 });
    const started = Date.now();
    await b.reserve();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('replaces an unreadable shared value instead of failing every request', async () => {
    const { kv, budget: b } = await budget();
    await kv.put(budgetKey('token'), new TextEncoder().encode('not json'));
    await (await b.reserve()).settle(answer(5, 10));
    expect(JSON.parse(new TextDecoder().decode((await kv.get(budgetKey('token')))!.value))).toMatchObject({ remaining: 5, limit: 10 });
  });
});
