/**
 * Where the web page lives: `public/` of this package when run from `src/` or `dist/`, or the
 * `public/` the Dockerfile copies beside the esbuild bundle (`/app/main.mjs`, `/app/public`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function resolvePublicDir(configured: string | undefined, moduleUrl: string = import.meta.url): string {
  if (configured) return resolve(configured);
  const here = dirname(fileURLToPath(moduleUrl));
  const beside = join(here, 'public');
  return existsSync(beside) ? beside : join(here, '..', 'public');
}
