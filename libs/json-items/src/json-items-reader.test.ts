import { describe, expect, it } from 'vitest';
import { JsonItemsReader, UnreadableJsonError, readJsonWithItems } from './index.js';

/** A small deterministic PRNG, so a failing split or mutation can be replayed from its seed. */
function random(seed: number): () => number {
  // The seed is mixed first: an unmixed small seed makes the first outputs tiny, so every cut would land near the start.
  let state = Math.imul(seed, 0x9e3779b9) >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  next();
  next();
  return next;
}

/** Cuts `bytes` into pieces of 1..maxPiece bytes, as a socket might deliver them. */
function split(bytes: Buffer, next: () => number, maxPiece: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(next() * maxPiece);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** What `JSON.parse` of the whole text says, in the reader's shape. */
function expected(text: string, key = 'items'): { envelope: unknown; items: unknown[] } {
  const whole = JSON.parse(text) as unknown;
  if (typeof whole === 'object' && whole !== null && !Array.isArray(whole) && Array.isArray((whole as Record<string, unknown>)[key])) {
    const record = whole as Record<string, unknown>;
    return { envelope: { ...record, [key]: [] }, items: record[key] as unknown[] };
  }
  return { envelope: whole, items: [] };
}

function read(pieces: readonly Uint8Array[], key = 'items'): { envelope: unknown; items: unknown[] } {
  const reader = new JsonItemsReader(key, (value) => value);
  for (const piece of pieces) reader.push(piece);
  return reader.end();
}

// Strings that end in backslashes, escaped quotes, multi-byte characters and brackets, so chunk cuts land on every awkward byte.
const TRICKY = ['plain', 'say "hi"', 'back\\slash\\', '\\"', 'ünïcødé ✓ 😀', '{[not]}', ',', 'tab\there', '"items": [1]', ''];

function searchPage(count: number): string {
  return JSON.stringify({
    total_count: 1000,
    incomplete_results: false,
    items: Array.from({ length: count }, (_, i) => ({
      id: i,
      full_name: `owner/${TRICKY[i % TRICKY.length]}`,
      description: TRICKY[(i * 3) % TRICKY.length],
      topics: [TRICKY[i % TRICKY.length], [i, { nested: [null, true, false, -1.5e3] }]],
      owner: { login: `o${i}`, site_admin: i % 2 === 0 },
      language: i % 4 === 0 ? null : 'TypeScript',
    })),
  });
}

describe('JsonItemsReader', () => {
  it('reads what JSON.parse reads, however the bytes are cut', () => {
    const text = searchPage(40);
    const bytes = Buffer.from(text);
    const want = expected(text);
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const pieces = split(bytes, next, seed <= 150 ? 8 : 4096);
      expect(read(pieces), `seed ${seed}`).toEqual(want);
    }
  });

  it('reads pretty-printed JSON, an empty items array, items that are not objects, and other keys after the items', () => {
    const documents = [
      JSON.stringify(JSON.parse(searchPage(3)), null, 2),
      '{"total_count":0,"incomplete_results":false,"items":[]}',
      '{ "items" : [ ] , "after": 1 }',
      '{"items":[1, "two", [3], {"four": 4}, null, true], "tail": {"items": [9]}}',
      '\r\n\t{"a":"items","items":[{}],"b":["items",[]]}\n',
      '[1, 2, 3]',
      '"just a string"',
      '42',
    ];
    for (const text of documents) {
      for (let seed = 1; seed <= 20; seed++) expect(read(split(Buffer.from(text), random(seed), 3)), text).toEqual(expected(text));
    }
  });

  it('maps each item as it is parsed, with its index', () => {
    const reader = new JsonItemsReader('items', (value, index) => `${index}:${(value as { id: number }).id}`);
    reader.push(Buffer.from('{"items":[{"id":7},{"id":8}],"total_count":2}'));
    expect(reader.end()).toEqual({ envelope: { items: [], total_count: 2 }, items: ['0:7', '1:8'] });
  });

  it('finds items under a key spelled with escapes, as JSON.parse would', () => {
    const text = '{"it\\u0065ms":[{"id":1}],"total_count":1}';
    expect(read([Buffer.from(text)])).toEqual(expected(text));
  });

  it('reads a body given as Uint8Array pieces with a byte-order mark, from an async iterable', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"items":[{"id":1}]}')]);
    async function* body() {
      for (const piece of split(bytes, random(7), 5)) yield new Uint8Array(piece);
    }
    await expect(readJsonWithItems(body(), 'items', (v) => v)).resolves.toEqual({ envelope: { items: [] }, items: [{ id: 1 }] });
  });

  it.each([
    ['an empty body', ''],
    ['a truncated item', '{"items":[{"id":1},{"id":'],
    ['a truncated string', '{"items":[{"id":"abc'],
    ['a body cut after the items', '{"items":[{"id":1}]'],
    ['a trailing comma', '{"items":[{"id":1},]}'],
    ['a leading comma', '{"items":[,{"id":1}]}'],
    ['two commas', '{"items":[{"id":1},,{"id":2}]}'],
    ['a missing comma', '{"items":[{"id":1} {"id":2}]}'],
    ['a brace closing the items', '{"items":[{"id":1}}'],
    ['a bracket closing an item', '{"items":[{"id":1]]}'],
    ['an invalid item', '{"items":[{"id":01}]}'],
    ['an invalid envelope', '{"total_count":,"items":[]}'],
    ['text after the value', '{"items":[]} x'],
    ['a second value', '{"items":[]}{}'],
    ['a closing bracket too many', '{"items":[]}]'],
    ['HTML', '<html>502 Bad Gateway</html>'],
    ['a colon before an item', '{"items":[:1]}'],
    ['a colon after a comma', '{"items":[1,:2]}'],
    ['only a colon', '{"items":[:]}'],
  ])('rejects %s with UnreadableJsonError, however the bytes are cut', (_, text) => {
    for (let seed = 1; seed <= 10; seed++) {
      expect(() => read(split(Buffer.from(text), random(seed), 4)), `seed ${seed}`).toThrow(UnreadableJsonError);
    }
  });

  it('rejects the items key twice, however it is spelled, rather than guessing which one counts', () => {
    const twice = [
      '{"items":[1],"items":[2]}',
      '{"items":[1],"items":5}',
      '{"items":5,"items":[1]}',
      '{"items":[1],"it\\u0065ms":[2]}',
      '{"items":[1],"it\\u0065ms":[]}',
      '{"it\\u0065ms":[2],"items":[1]}',
    ];
    for (const text of twice) {
      expect(() => read([Buffer.from(text)]), text).toThrow(/"items" appears more than once/);
    }
  });

  it('accepts exactly the one-character mutations of a document that JSON.parse accepts, and then reads the same', () => {
    const base = '{"total_count":3,"items":[{"id":1,"s":"a\\"b"},[2,{"x":null}],"c\\\\"," d",7],"z":false}';
    const alphabet = '{}[]",:\\ 0a-eé';
    const mutations = [];
    for (let at = 0; at <= base.length; at++) {
      if (at < base.length) mutations.push(base.slice(0, at) + base.slice(at + 1));
      for (const char of alphabet) {
        mutations.push(base.slice(0, at) + char + base.slice(at));
        if (at < base.length) mutations.push(base.slice(0, at) + char + base.slice(at + 1));
      }
    }
    mutations.forEach((mutated, seed) => {
      let want: unknown;
      try {
        want = expected(mutated);
      } catch {
        want = UnreadableJsonError;
      }
      const pieces = split(Buffer.from(mutated), random(seed), 6);
      if (want === UnreadableJsonError) expect(() => read(pieces), mutated).toThrow(UnreadableJsonError);
      else expect(read(pieces), mutated).toEqual(want);
    });
  });

  it('names where it went wrong and keeps the parser error as the cause', () => {
    try {
      read([Buffer.from('{"items":[{"id":1},{"id":}]}')]);
      expect.fail('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(UnreadableJsonError);
      expect((err as Error).message).toMatch(/^not valid JSON: item 1: /);
      expect((err as Error).cause).toBeInstanceOf(SyntaxError);
    }
  });
});
