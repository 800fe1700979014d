/**
 * What processes used over a stretch of time: peak resident memory, sampled from
 * `/proc/<pid>/status` every 100 ms, and CPU time, from `/proc/<pid>/stat` at both ends. `VmHWM`
 * alone would not do for memory: it is the peak since start, and a service started through tsx
 * peaks while compiling its sources, before it has done any work.
 */
import { readFile } from 'node:fs/promises';

export interface ProcUsage {
  readonly peakRssMb: number;
  readonly cpuMs: number;
}

const SAMPLE_MS = 100;
/** `USER_HZ`, the unit of `/proc/<pid>/stat` times: 100 on every Linux build that matters. */
const TICKS_PER_SECOND = 100;

async function rssMb(pid: number): Promise<number> {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; utime and stime are the 12th and 13th fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Watches every pid until `stop`, which fails if a process vanished meanwhile. */
export async function watchProcesses(pids: readonly number[]): Promise<{ stop(): Promise<ProcUsage[]> }> {
  const cpuAtStart = await Promise.all(pids.map(cpuMs));
  const peaks = pids.map(() => 0);
  let failure: unknown;
  const sample = () =>
    Promise.all(pids.map(rssMb)).then(
      (now) => now.forEach((mb, i) => (peaks[i] = Math.max(peaks[i] as number, mb))),
      (err: unknown) => (failure ??= err),
    );
  // Chained, so a slow read never overlaps the next one.
  let last = sample();
  const timer = setInterval(() => (last = last.then(sample)), SAMPLE_MS);
  return {
    async stop() {
      clearInterval(timer);
      await last.then(sample);
      if (failure) throw failure;
      const cpuAtEnd = await Promise.all(pids.map(cpuMs));
      return pids.map((_, i) => ({ peakRssMb: peaks[i] as number, cpuMs: (cpuAtEnd[i] as number) - (cpuAtStart[i] as number) }));
    },
  };
}
