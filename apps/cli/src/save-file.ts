import { randomUUID } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `path` (or into it, under `name`, when it is a folder) through a temporary file
 * renamed into place, so the path never holds half a report, not even when the CLI is killed.
 * Returns the path written.
 */
export async function saveFile(path: string, name: string, data: Uint8Array): Promise<string> {
  const isFolder = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const target = isFolder ? join(path, name) : path;
  // Same folder as the target: a rename across file systems would not be atomic.
  const temporary = join(dirname(target), `.${basename(target)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, data, { flag: 'wx' });
    await rename(temporary, target);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
  return target;
}
