/**
 * The README's first quick-start command, run from a clean temporary directory: it must produce a
 * report offline, print its path and first rows, write only there, and exit 0.
 */
import { startProcess } from '@hotrepos/testing';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..');

describe('npm run demo', { timeout: 180_000 }, () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('makes one report end to end in a clean directory and exits 0', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotrepos-demo-'));
    // What `npm run demo` runs, from the clean directory; tsx is named by path since that directory has no node_modules.
    const tsx = fileURLToPath(import.meta.resolve('tsx'));
    const demo = startProcess({
      name: 'demo',
      command: process.execPath,
      args: ['--conditions=@hotrepos/source', '--import', tsx, join(repoRoot, 'tools', 'demo', 'src', 'main.ts')],
      cwd: dir,
      env: { NATS_URL: '' },
    });
    const { code } = await demo.exited;
    const output = demo.output();
    expect(code, output).toBe(0);
    expect(output).toMatch(/ready\s+█████ 5\/5 pages/);
    const path = /ready: (\S+\.csv)/.exec(output)?.[1];
    expect(path).toMatch(/^\.data\/demo\/media\/[^/]+\/github-hot-repos-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile(join(dir, path!), 'utf8');
    const firstRow = csv.split('\r\n')[0]!;
    expect(output).toContain(firstRow.slice(0, 60));
    expect(await readdir(dir)).toEqual(['.data']);
  });
});
