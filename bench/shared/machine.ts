/** What a benchmark ran on, for the record next to its figures. */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { promisify } from 'node:util';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly natsServer: string;
  readonly date: string;
  /** One-minute load average before the benchmark started: others' work on a shared box skews figures. */
  readonly load: number;
}

export async function describeMachine(): Promise<Machine> {
  // The binary startNatsServer runs, so the version printed is the one measured.
  const bin = process.env['NATS_SERVER_BIN'] ?? 'nats-server';
  const { stdout } = await promisify(execFile)(bin, ['--version']);
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    natsServer: stdout.trim().replace(/^nats-server:\s*/, ''),
    date: new Date().toISOString().slice(0, 10),
    load: loadavg()[0] ?? 0,
  };
}

export function machineLine(m: Machine): string {
  return `${m.date}, ${m.cpus} × ${m.cpuModel}, Node ${m.node}, nats-server ${m.natsServer}, load average ${m.load.toFixed(1)} at start`;
}
