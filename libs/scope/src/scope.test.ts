import { describe, expect, it } from 'vitest';
import { childTraceparent, currentScope, parseTraceparent, runInScope, withScope } from './index.js';

describe('scope', () => {
  it('is empty outside any scope', () => {
    expect(currentScope()).toEqual({});
  });

  it('inherits across awaits and lets an explicit value win', async () => {
    await withScope({ locale: 'de', correlationId: 'c-1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentScope()).toEqual({ locale: 'de', correlationId: 'c-1' });
      withScope({ locale: 'fr', correlationId: undefined }, () => {
        expect(currentScope()).toEqual({ locale: 'fr', correlationId: 'c-1' });
      });
      expect(currentScope().locale).toBe('de');
    });
  });

  it('runInScope replaces the caller scope instead of merging', () => {
    withScope({ locale: 'de', userId: 'u' }, () => {
      runInScope({ correlationId: 'x' }, () => expect(currentScope()).toEqual({ correlationId: 'x' }));
    });
  });
});

describe('trace context', () => {
  const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('continues the trace with a new span id', () => {
    const child = parseTraceparent(childTraceparent(parent));
    expect(child?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child?.parentId).not.toBe('b7ad6b7169203331');
    expect(child?.flags).toBe('01');
  });

  it('starts a new trace when the parent is missing or invalid', () => {
    for (const bad of [undefined, 'garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01', 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01']) {
      expect(parseTraceparent(bad)).toBeUndefined();
      expect(parseTraceparent(childTraceparent(bad))).toBeDefined();
    }
  });
});
