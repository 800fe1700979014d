/**
 * The services as their images run them: each bundled by the esbuild command of the root
 * `Dockerfile` (read from the file, run in `apps/<name>` as the image's `WORKDIR` has it, only the
 * output path changed) and started as `node main.mjs` with the image's `ENV`. Bundled for each
 * pipeline before its processes start, so tsx's loader and its on-the-fly compiling stay out of
 * the figures: production never runs them.
 */
import { repoRoot } from '@hotrepos/testing';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface ServiceBundle {
  /** The bundle to run with `node`. */
  readonly main: string;
  /** The final stage's `ENV` lines (`NODE_ENV=production`). */
  readonly env: Readonly<Record<string, string>>;
}

export function bundleService(service: string, outDir: string): Promise<ServiceBundle> {
  return bundleLike(service, undefined, join(outDir, service, 'main.mjs'));
}

/**
 * `entry` (a path from the repository root; the service's own when undefined) bundled and run the
 * way the image built with `SERVICE=<service>` bundles and runs that service, into `main`.
 */
export async function bundleLike(service: string, entry: string | undefined, main: string): Promise<ServiceBundle> {
  const lines = (await readFile(join(repoRoot, 'Dockerfile'), 'utf8')).split('\n').map((l) => l.trim());
  const esbuild = lines.find((l) => l.startsWith('RUN [') && l.includes('esbuild'));
  if (!esbuild) throw new Error('the Dockerfile has no esbuild step');
  const [bin, ...args] = JSON.parse(esbuild.slice('RUN'.length)) as string[];
  if (!bin) throw new Error('the Dockerfile has an empty esbuild step');
  // The step runs in the app's folder (`WORKDIR /src/apps/${SERVICE}`), so its entry is the app's own `src/main.ts`.
  const ownEntry = 'src/main.ts';
  if (!args.includes(ownEntry)) throw new Error(`the Dockerfile's esbuild step does not bundle ${ownEntry}`);
  const cwd = join(repoRoot, 'apps', service);
  const placed = args.map((arg) => (arg.startsWith('--outfile=') ? `--outfile=${main}` : arg === ownEntry && entry ? join(repoRoot, entry) : arg));
  await promisify(execFile)(join(cwd, bin), [...placed, '--log-level=warning'], { cwd });
  const runtime = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')));
  const env = Object.fromEntries(runtime.filter((l) => l.startsWith('ENV ')).map((l) => l.slice('ENV '.length).split('=', 2) as [string, string]));
  return { main, env };
}
