/**
 * The services as child processes, each started from its TypeScript source as `npm run demo` and
 * the end-to-end tests do. They write to the launcher's stdout and stderr, so each logs pretty
 * lines to a terminal and JSON lines to a pipe, as it does when run alone.
 *
 * Each runs in a process group of its own, so signals reach it from the launcher alone: a service
 * stops on the first SIGTERM or SIGINT and dies on the next one, and a Ctrl-C, a closing terminal
 * or a `kill` of the whole group would otherwise deliver one signal from outside and another from
 * stop(). So no signal reaches a service whose launcher was killed outright (SIGKILL, an OOM kill);
 * the IPC channel each one gets does: it closes with the launcher, and the service drains and
 * exits (libs/runtime's runService).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const SERVICE_NAMES = ['aggregator', 'fetcher', 'importer', 'mailer', 'scheduler', 'gateway'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceExit {
  readonly name: ServiceName;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServiceProcesses {
  /** For the log: what outlives the launcher, if anything does, is found by pid. */
  readonly pids: Readonly<Record<ServiceName, number | undefined>>;
  /** The first service to exit, whatever the reason. */
  readonly firstExit: Promise<ServiceExit>;
  /** SIGTERM to each service still running; true when every one has exited with code 0. */
  stop(): Promise<boolean>;
}

export function spawnServices({ root, env }: { root: string; env: NodeJS.ProcessEnv }): ServiceProcesses {
  const services = SERVICE_NAMES.map((name) => {
    const child = spawn(process.execPath, ['--conditions=@hotrepos/source', '--import', 'tsx', join(root, 'apps', name, 'src', 'main.ts')], {
      cwd: root,
      env,
      detached: true,
      // No stdin: a background process group that reads the terminal is stopped by SIGTTIN.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<ServiceExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ name, code, signal }));
      // A process that could not be spawned reports 'error' and never 'exit'.
      child.once('error', () => resolve({ name, code: null, signal: null }));
    });
    return { name, child, exited };
  });

  return {
    pids: Object.fromEntries(services.map((s) => [s.name, s.child.pid])) as Record<ServiceName, number | undefined>,
    firstExit: Promise.race(services.map((s) => s.exited)),
    async stop() {
      for (const { child } of services) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      }
      const exits = await Promise.all(services.map((s) => s.exited));
      return exits.every((e) => e.code === 0);
    },
  };
}
