/** Entry of the process bus/isolated.ts forks: runs one variant once and sends back its sample. */
import type { Job, VariantName } from './isolated.js';
import { runLoad, type Variant } from './load.js';
import { rawVariant } from './raw.js';
import { typedVariant } from './typed.js';

const variants: Record<VariantName, Variant> = { raw: rawVariant, typed: typedVariant };

const job = JSON.parse(process.argv[2] ?? '') as Job;
const sample = await runLoad(variants[job.variant], job.url, job.plan);
// Closing the IPC channel drops the last handle of ours: exiting on its own shows the variant closed everything.
process.send?.(sample, () => process.disconnect());
