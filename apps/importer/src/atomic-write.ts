/**
 * Writes a file so that readers see either no file (or the previous one) or the whole new one:
 * a temporary file beside the target (same directory, so the rename stays on one file system and
 * is atomic), flushed to disk, renamed over the target, and the directory flushed so the rename
 * survives a crash. Missing directories are created here, on every write rather than once at
 * start-up, so a media volume mounted late delays reports instead of crash-looping the service.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  // Hidden and not ending in the target's extension, so nothing listing reports picks up a half-written
  // one; random, so two replicas writing the same report at once never write into each other's file.
  const temp = join(dir, `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    // The write's own error is the one worth reporting, not a failure to tidy up after it.
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
