import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envDurationMs, envInt, envList } from './index.js';

describe('envInt', () => {
  it('parses decimal integers only', () => {
    expect(envInt().parse(' 42 ')).toBe(42);
    expect(envInt().parse('-3')).toBe(-3);
    for (const bad of ['1e3', '0x10', '12abc', '1.5']) expect(envInt().safeParse(bad).success).toBe(false);
  });

  it('takes a parsed default and can be narrowed further', () => {
    expect(envInt().default(3).parse(undefined)).toBe(3);
    expect(envInt().pipe(z.number().min(1)).safeParse('0').success).toBe(false);
  });
});

describe('envList', () => {
  it('splits on commas, trims and drops blanks', () => {
    expect(envList(z.string()).parse(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    const ports: number[] = envList(envInt()).parse('4222, 8222');
    expect(ports).toEqual([4222, 8222]);
  });

  it('checks each item and points at the bad one', () => {
    const result = envList(z.url()).safeParse('https://a.example,nope');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([1]);
  });
});

describe('envDurationMs', () => {
  it('accepts units or a bare number of milliseconds', () => {
    const cases: [string, number][] = [['1500ms', 1500], ['30s', 30_000], ['5m', 300_000], ['1h', 3_600_000], ['1d', 86_400_000], ['250', 250], ['1.5s', 1500]];
    for (const [input, ms] of cases) expect(envDurationMs().parse(input)).toBe(ms);
  });

  it('rejects anything else with a hint', () => {
    for (const bad of ['soon', '5 minutes', '-1s', '']) {
      expect(envDurationMs().safeParse(bad).error?.issues[0]?.message).toMatch(/expected a duration/);
    }
  });
});
