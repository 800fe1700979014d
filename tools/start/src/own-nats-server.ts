/**
 * The nats-server `npm start` runs when NATS_URL is unset: JetStream with its store in a folder
 * that outlives the run (reports, schedules and consumer positions survive a restart), listening
 * on 127.0.0.1 only. Like libs/testing's test server, it is told to pick its port with `-p -1`
 * when asked for any, says which in its ports file, and gets SIGTERM when the launcher dies.
 */
import { withParentDeathSignal } from '@hotrepos/testing';
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class NatsServerStartError extends Error {
  override readonly name = 'NatsServerStartError';
  readonly code = 'NATS_SERVER_START';
}

export interface OwnNatsServer {
  readonly url: string;
  readonly pid: number | undefined;
  /** SIGTERM, then waits for the exit; the store is kept. */
  stop(): Promise<void>;
}

export interface OwnNatsServerOptions {
  readonly bin: string;
  readonly storeDir: string;
  /** -1 for any free port. */
  readonly port: number;
  readonly startTimeoutMs?: number;
}

const DEFAULT_PORT = 4222;
const ANY_PORT = -1;

/** The first executable called `name` in PATH's folders, as a shell would find it. */
export async function findOnPath(name: string, path = process.env['PATH'] ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter((d) => d !== '')) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder; try the next.
    }
  }
  return undefined;
}

/** NATS_PORT when given (0: any); else 4222 unless something holds it, like a system nats-server. */
export async function chooseNatsPort(requested: number | undefined): Promise<number> {
  if (requested !== undefined) return requested === 0 ? ANY_PORT : requested;
  return (await isFree(DEFAULT_PORT)) ? DEFAULT_PORT : ANY_PORT;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

export async function startOwnNatsServer({ bin, storeDir, port, startTimeoutMs = 15_000 }: OwnNatsServerOptions): Promise<OwnNatsServer> {
  const portsDir = await mkdtemp(join(tmpdir(), 'hotrepos-start-nats-'));
  const line = withParentDeathSignal({ command: bin, args: ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, '--ports_file_dir', portsDir] });
  // A process group of its own: a Ctrl-C goes to the terminal's whole foreground group, and this
  // server must outlive the services while they drain; it is stopped after them.
  const child = spawn(line.command, line.args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(portsDir, { recursive: true, force: true });
  };

  try {
    const url = await Promise.race([
      readClientUrl(join(portsDir, `nats-server_${child.pid}.ports`), startTimeoutMs),
      spawnError.then((err) => Promise.reject(new NatsServerStartError(`cannot run ${bin}: ${err.message}`, { cause: err }))),
      exited.then((code) => Promise.reject(new NatsServerStartError(`${bin} exited with ${code}: ${stderr.trim()}`))),
    ]);
    return { url, pid: child.pid, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function readClientUrl(portsFile: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const url = await readFile(portsFile, 'utf8').then(clientUrlOf, () => undefined);
    if (url) return url;
    await sleep(20);
  }
  throw new NatsServerStartError(`nats-server wrote no ${portsFile} within ${timeoutMs} ms`);
}

function clientUrlOf(portsFileText: string): string | undefined {
  try {
    return (JSON.parse(portsFileText) as { nats?: readonly string[] }).nats?.[0];
  } catch {
    // Caught mid-write; the next poll reads the whole file.
    return undefined;
  }
}
