import { describe, expect, it } from 'vitest';
import { chooseMailLocale, mailLocale } from '../src/locale.js';

describe('mail locale', () => {
  it.each([
    ['de', 'de'],
    ['de-AT', 'de'],
    ['DE-at', 'de'],
    ['fr-CA', 'fr'],
    ['en-GB', 'en'],
    ['es', 'en'],
    ['zh-Hant-TW', 'en'],
    [undefined, 'en'],
  ])('%s → %s', (tag, expected) => {
    expect(mailLocale(tag)).toBe(expected);
  });

  it('lets the payload locale win over the inherited one, even when it falls back', () => {
    expect(chooseMailLocale('fr', 'de')).toBe('fr');
    expect(chooseMailLocale(undefined, 'de-CH')).toBe('de');
    expect(chooseMailLocale('es', 'de')).toBe('en');
    expect(chooseMailLocale(undefined, undefined)).toBe('en');
  });
});
