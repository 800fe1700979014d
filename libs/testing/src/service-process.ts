/**
 * A hotrepos service (`apps/<name>/src/main.ts`) as its own process, started from its sources the
 * way the demo, the end-to-end tests and the benchmarks run it.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, type RunningProcess } from './process.js';

/** The repository this lib sits in. */
export const repoRoot = join(import.meta.dirname, '..', '..', '..');

export interface ServiceProcessOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the process runs; the repository root by default. */
  readonly cwd?: string;
}

export function startServiceProcess(service: string, { env, cwd = repoRoot }: ServiceProcessOptions = {}): RunningProcess {
  // tsx named by path, so a process running outside the repository (a clean temp directory) still finds it.
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  return startProcess({
    name: service,
    command: process.execPath,
    args: ['--conditions=@hotrepos/source', '--import', tsx, join(repoRoot, 'apps', service, 'src', 'main.ts')],
    cwd,
    ...(env ? { env } : {}),
  });
}
