/**
 * `npm run contracts`: writes the JSON Schemas and the AsyncAPI document rendered from the zod
 * contracts into docs/contracts, and removes generated files whose contract no longer exists.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTRACT_DOCS_DIR, renderContractDocs } from '../src/index.js';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = join(workspaceRoot, CONTRACT_DOCS_DIR);
const files = renderContractDocs();

mkdirSync(outDir, { recursive: true });
// Only .json files are generated; anything else in the folder (a README) is written by hand.
for (const name of readdirSync(outDir)) {
  const rel = `${CONTRACT_DOCS_DIR}/${name}`;
  if (name.endsWith('.json') && !files.has(rel)) rmSync(join(outDir, name));
}
for (const [rel, content] of files) {
  writeFileSync(join(workspaceRoot, rel), content);
}
console.log(`wrote ${files.size} files to ${relative(process.cwd(), outDir) || '.'}`);
