/**
 * Starts a real `nats-server -js` for a test suite, on a random port with its own store dir,
 * the way the nats.js test launcher does: `-p -1` picks a free port and the ports file tells which.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withParentDeathSignal } from './parent-death.js';
import { terminate } from './terminate.js';

export class NatsServerStartError extends Error {
  override readonly name = 'NatsServerStartError';
  readonly code = 'NATS_SERVER_START';
}

export interface NatsServerOptions {
  /** Binary to run; `NATS_SERVER_BIN` or `nats-server` on PATH by default. */
  readonly bin?: string;
  /** Extra arguments, e.g. `['--max_payload', '2MB']`. */
  readonly args?: readonly string[];
  readonly startTimeoutMs?: number;
  /** Reuse a store dir (to restart a server with its streams intact). */
  readonly storeDir?: string;
  /** Ask for a fixed port, e.g. to restart a server where clients expect it. */
  readonly port?: number;
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  readonly pid: number;
  /** Stops the server (SIGTERM, SIGKILL after 5 s) and removes its temp dirs unless `keepStore`. */
  stop(opts?: { keepStore?: boolean }): Promise<void>;
}

interface PortsFile {
  readonly nats?: readonly string[];
}

export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServer> {
  const bin = opts.bin ?? process.env['NATS_SERVER_BIN'] ?? 'nats-server';
  const portsDir = await mkdtemp(join(tmpdir(), 'hotrepos-nats-ports-'));
  const storeDir = opts.storeDir ?? (await mkdtemp(join(tmpdir(), 'hotrepos-nats-store-')));
  const args = ['-a', '127.0.0.1', '-p', String(opts.port ?? -1), '-js', '-sd', storeDir, '--ports_file_dir', portsDir, ...(opts.args ?? [])];
  // Ends with the test worker that started it, even a killed one.
  const line = withParentDeathSignal({ command: bin, args });
  const child = spawn(line.command, line.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const cleanup = async (keepStore: boolean) => {
    await rm(portsDir, { recursive: true, force: true });
    if (!keepStore && !opts.storeDir) await rm(storeDir, { recursive: true, force: true });
  };

  try {
    const url = await Promise.race([
      readClientUrl(portsDir, child.pid, opts.startTimeoutMs ?? 15_000),
      spawnError.then((err) => Promise.reject(new NatsServerStartError(`cannot run ${bin}: ${err.message}`, { cause: err }))),
      exited.then((code) => Promise.reject(new NatsServerStartError(`${bin} exited with ${code}: ${stderr.trim()}`))),
    ]);
    const port = Number(new URL(url).port);
    return {
      url,
      port,
      storeDir,
      pid: child.pid ?? -1,
      async stop({ keepStore = false } = {}) {
        await terminate(child, exited);
        await cleanup(keepStore);
      },
    };
  } catch (err) {
    await terminate(child, exited);
    await cleanup(false);
    throw err;
  }
}

async function readClientUrl(portsDir: string, pid: number | undefined, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const file = `nats-server_${pid}.ports`;
  while (Date.now() < deadline) {
    const names = await readdir(portsDir).catch(() => [] as string[]);
    if (names.includes(file)) {
      const text = await readFile(join(portsDir, file), 'utf8');
      const ports = parsePortsFile(text);
      const url = ports?.nats?.[0];
      if (url) return url;
    }
    await sleep(20);
  }
  throw new NatsServerStartError(`nats-server did not write ${file} within ${timeoutMs} ms`);
}

function parsePortsFile(text: string): PortsFile | undefined {
  try {
    return JSON.parse(text) as PortsFile;
  } catch {
    // The server may be caught mid-write; the next poll reads the whole file.
    return undefined;
  }
}
