#!/usr/bin/env node
// The `hotrepos` bin. The CLI is TypeScript run from source, like every app here: this starts it in a
// child node with tsx and the workspace's source condition. Flags cannot be given to the running node
// (`--conditions` is read at start-up), so a child is the simplest way that works from any folder.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
// Resolved from here, not from the caller's folder, where `--import tsx` would not find tsx.
const tsx = import.meta.resolve('tsx');
const child = spawn(process.execPath, ['--conditions=@hotrepos/source', '--import', tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });

// A terminal's Ctrl-C reaches both processes; a signal sent to this one alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
// Killed by a signal: exit as a shell reports it (128 + signal number).
child.on('exit', (code, signal) => process.exit(signal ? 128 + constants.signals[signal] : (code ?? 1)));
