/**
 * Benchmark entry: `npm run bench -- [name…]`. No name runs every benchmark; an unknown name
 * prints usage and exits 2.
 */
import { parseArgs } from 'node:util';

const benchmarks = {
  bus: () => import('./bus.js'),
  gateway: () => import('./gateway.js'),
  report: () => import('./report.js'),
} satisfies Record<string, () => Promise<{ run(): Promise<void> }>>;

type Name = keyof typeof benchmarks;
const isName = (name: string): name is Name => Object.hasOwn(benchmarks, name);

const usage = `usage: npm run bench -- [${Object.keys(benchmarks).join(' | ')}]…   (no name runs them all)`;

function fail(problem: string): never {
  console.error(`${problem}\n${usage}`);
  process.exit(2);
}

const args = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    return fail((err as Error).message);
  }
})();
if (args.values.help) {
  console.log(usage);
  process.exit(0);
}

const requested = args.positionals.length ? args.positionals : Object.keys(benchmarks);
const unknown = requested.filter((name) => !isName(name));
if (unknown.length) fail(`unknown benchmark: ${unknown.join(', ')}`);
for (const name of requested.filter(isName)) await (await benchmarks[name]()).run();
