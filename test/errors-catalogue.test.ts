/**
 * Keeps docs/errors.md honest: every exported error class of every lib has a stable code and a
 * row in the catalogue, and every dead-letter reason is explained there.
 */
import { DeadLetterReason } from '@hotrepos/contracts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const catalogue = readFileSync(join(root, 'docs/errors.md'), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const errorClasses = ['libs', 'apps', 'tools']
  .filter((top) => existsSync(join(root, top)))
  .flatMap((top) => readdirSync(join(root, top), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, top, d.name, 'src')))
  .flatMap((src) => sourceFiles(src))
  .flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/export class (\w+) extends Error \{([\s\S]*?)\n\}/g)].map((m) => ({
      file: file.slice(root.length + 1),
      name: m[1]!,
      code: /readonly code = '([A-Z_]+)'/.exec(m[2]!)?.[1],
    }));
  });

describe('docs/errors.md', () => {
  it('finds the error classes', () => {
    expect(errorClasses.length).toBeGreaterThan(5);
  });

  it.each(errorClasses)('documents $name ($file) with its code', ({ name, code }) => {
    expect(code, `${name} needs a \`readonly code\``).toBeDefined();
    const row = catalogue.split('\n').find((line) => line.includes(`\`${code}\``));
    expect(row, `docs/errors.md needs a row for ${code}`).toBeDefined();
    expect(row).toContain(`\`${name}\``);
  });

  it.each(DeadLetterReason.options)('explains the dead-letter reason %s', (reason) => {
    expect(catalogue).toContain(`| \`${reason}\` |`);
  });
});
