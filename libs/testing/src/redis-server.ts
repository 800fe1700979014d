/**
 * Starts a real `redis-server` for a test suite, on a free port with its own data dir, append-only
 * file on (as the compose file runs it), never the machine's own Redis on 6379. redis-server has
 * no "any free port" option, so a port is picked first and the start is tried again when another
 * process took it in between.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { withParentDeathSignal } from './parent-death.js';
import { terminate } from './terminate.js';

export class RedisServerStartError extends Error {
  override readonly name = 'RedisServerStartError';
  readonly code = 'REDIS_SERVER_START';
}

export interface RedisServerOptions {
  /** Binary to run; `REDIS_SERVER_BIN` or `redis-server` on PATH by default. */
  readonly bin?: string;
  /** Extra arguments, e.g. `['--maxmemory', '1mb']`. */
  readonly args?: readonly string[];
  readonly startTimeoutMs?: number;
  /** Reuse a data dir (to restart a server with its data intact). */
  readonly dataDir?: string;
  /** Ask for a fixed port, e.g. to restart a server where clients expect it. */
  readonly port?: number;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly pid: number;
  /** Stops the server (SIGTERM, SIGKILL after 5 s) and removes its data dir unless `keepData` or it was given. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL: a crash, with what the append-only file had not written lost as in one. */
  kill(): Promise<void>;
}

const PORT_TRIES = 5;
const READY_LINE = 'Ready to accept connections';
const ADDRESS_IN_USE = /Address already in use/;

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'hotrepos-redis-')));
  try {
    for (let attempt = 1; ; attempt++) {
      const port = opts.port ?? (await freePort());
      try {
        return await startOn(port, dataDir, opts);
      } catch (err) {
        const lostRace = opts.port === undefined && err instanceof RedisServerStartError && ADDRESS_IN_USE.test(err.message);
        if (!lostRace || attempt >= PORT_TRIES) throw err;
      }
    }
  } catch (err) {
    if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

async function startOn(port: number, dataDir: string, opts: RedisServerOptions): Promise<RedisServer> {
  const bin = opts.bin ?? process.env['REDIS_SERVER_BIN'] ?? 'redis-server';
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dataDir, '--save', '', '--appendonly', 'yes', '--logfile', '', ...(opts.args ?? [])];
  // Ends with the test worker that started it, even a killed one.
  const line = withParentDeathSignal({ command: bin, args });
  const child = spawn(line.command, line.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const append = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      if (output.includes(READY_LINE)) resolve();
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    child.once('error', (err) => reject(new RedisServerStartError(`cannot run ${bin}: ${err.message}`, { cause: err })));
    void exited.then((code) => reject(new RedisServerStartError(`${bin} exited with ${code}: ${output.trim()}`)));
  });
  const timeoutMs = opts.startTimeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisServerStartError(`${bin} was not ready within ${timeoutMs} ms: ${output.trim()}`)), timeoutMs);
  });
  try {
    await Promise.race([ready, timedOut]);
  } catch (err) {
    await terminate(child, exited, 'SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dataDir,
    pid: child.pid ?? -1,
    async stop({ keepData = false } = {}) {
      await terminate(child, exited, 'SIGTERM');
      if (!keepData && !opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
    kill: () => terminate(child, exited, 'SIGKILL'),
  };
}
