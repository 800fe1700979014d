/**
 * What a test worker, the demo or a benchmark starts through this lib ends with it, even when it
 * is killed with SIGKILL: the nats-server by its parent-death signal, a node child by its IPC channel.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidRunning, startProcess, waitFor } from '../src/index.js';

const fixture = join(import.meta.dirname, 'fixtures', 'orphan-maker.ts');

describe('children of a killed parent', () => {
  let storeDir: string | undefined;
  afterEach(async () => {
    if (storeDir) await rm(storeDir, { recursive: true, force: true });
  });

  it('end within seconds', async () => {
    storeDir = await mkdtemp(join(tmpdir(), 'hotrepos-orphan-'));
    const parent = startProcess({ name: 'orphan-maker', command: process.execPath, args: ['--import', 'tsx', fixture], env: { STORE_DIR: storeDir } });
    await parent.waitForOutput(/"child":\d+\}\n/);
    const pids = JSON.parse(parent.output().trim().split('\n').at(-1)!) as { nats: number; child: number };
    expect(await pidRunning(pids.nats)).toBe(true);
    expect(await pidRunning(pids.child)).toBe(true);

    await parent.stop('SIGKILL');
    for (const [name, pid] of Object.entries(pids)) {
      await waitFor(async () => !(await pidRunning(pid)), { timeoutMs: 5_000, what: `${name} (pid ${pid}) to end` });
    }
  });
});

describe('pidRunning', () => {
  it('is true for this process and false for one that has exited', async () => {
    expect(await pidRunning(process.pid)).toBe(true);
    const done = startProcess({ name: 'true', command: 'true', args: [] });
    await done.exited;
    expect(await pidRunning(done.pid)).toBe(false);
  });
});
