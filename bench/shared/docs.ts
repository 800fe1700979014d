/**
 * docs/benchmarks.md holds one `## <Name>` section per benchmark. A run replaces its own section
 * and leaves the others as they are, so each benchmark can be rerun on its own.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Machine } from './machine.js';

const BENCHMARKS_DOC = new URL('../../docs/benchmarks.md', import.meta.url);

function header(machine: Machine): string {
  return [
    '# Benchmarks',
    '',
    'Run all of them with `npm run bench`, or one by name, e.g. `npm run bench -- bus`. Each run',
    'rewrites its own section below and prints the same table to stdout. Figures depend on the machine,',
    'so every section says where it was measured; this file was started on:',
    '',
    `- ${machine.date}: \`nproc\` ${machine.cpus} (${machine.cpuModel}), Node ${machine.node}, nats-server ${machine.natsServer}`,
    '',
  ].join('\n');
}

/** Writes `body` as the `## <title>` section, replacing the previous one or appending it. */
export async function writeSection(title: string, body: string, machine: Machine): Promise<void> {
  const existing = await readFile(BENCHMARKS_DOC, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return header(machine);
    throw err;
  });
  const section = `## ${title}\n\n${body.trim()}\n`;
  const lines = existing.split('\n');
  const start = lines.findIndex((line) => line.trimEnd() === `## ${title}`);
  if (start === -1) {
    await writeFile(BENCHMARKS_DOC, `${existing.trimEnd()}\n\n${section}`);
    return;
  }
  const next = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const before = lines.slice(0, start).join('\n').trimEnd();
  const after = next === -1 ? '' : `\n${lines.slice(next).join('\n')}`;
  await writeFile(BENCHMARKS_DOC, `${before ? `${before}\n\n` : ''}${section}${after}`);
}
