import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/atomic-write.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotrepos-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing folders and leaves only the target behind', async () => {
    const path = join(dir, 'a', 'b', 'report.csv');
    await writeFileAtomic(path, Buffer.from('x\r\n'));
    expect(await readFile(path, 'utf8')).toBe('x\r\n');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['report.csv']);
  });

  it('never shows a reader part of a file, while writing it anew or replacing it', async () => {
    const path = join(dir, 'big.csv');
    const versions = [Buffer.alloc(8 * 1024 * 1024, 'a'), Buffer.alloc(8 * 1024 * 1024, 'b'), Buffer.alloc(4 * 1024 * 1024, 'c')];
    const seen = new Set<string>();
    let writing = true;
    const reader = (async () => {
      while (writing) {
        try {
          const data = await readFile(path);
          seen.add(`${data.byteLength}:${data.toString('latin1', 0, 1)}:${data.toString('latin1', data.byteLength - 1)}`);
          const whole = versions.some((v) => v.equals(data));
          expect(whole, `a reader saw ${data.byteLength} bytes that are no complete version`).toBe(true);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          seen.add('missing');
        }
      }
    })();
    for (const version of versions) await writeFileAtomic(path, version);
    writing = false;
    await reader;
    expect(seen.size).toBeGreaterThan(1);
    expect(await readdir(dir)).toEqual(['big.csv']);
  });

  it('removes its temporary file when the rename fails', async () => {
    // A folder where the file should go: the temporary file is written, the rename over a folder fails.
    const path = join(dir, 'report.csv');
    await mkdir(join(path, 'inside'), { recursive: true });
    await expect(writeFileAtomic(path, Buffer.from('x'))).rejects.toMatchObject({ code: 'EISDIR' });
    expect(await readdir(dir)).toEqual(['report.csv']);
  });
});
