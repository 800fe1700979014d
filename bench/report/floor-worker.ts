/** Entry of the process floor-process.ts forks: measures the raw floor once and sends the result back. */
import { PAGES, startFloor } from './floor.js';
import type { FloorJob, FloorResult } from './floor-process.js';
import { measureBurst, measureSingles } from './load.js';
import { watchProcesses, type ProcUsage } from './proc-usage.js';

const job = JSON.parse(process.argv[2] ?? '') as FloorJob;
const floor = startFloor(job.apiUrl, job.since, job.mediaRoot, job.inFlight * PAGES);
let result: FloorResult;
try {
  const singles = await measureSingles(floor.run, job.prefix, job.warmup, job.singles);
  // Watched the way the services are, so the figures compare.
  const watch = await watchProcesses([process.pid]);
  const burst = await measureBurst(floor.run, job.prefix, job.burst, job.inFlight);
  const { peakRssMb, cpuMs } = (await watch.stop())[0] as ProcUsage;
  result = { singles, burst, peakRssMb, cpuMsPerReport: cpuMs / job.burst };
} finally {
  await floor.close();
}
// Closing the IPC channel drops the last handle: exiting on its own shows the floor closed everything.
process.send?.(result, () => process.disconnect());
