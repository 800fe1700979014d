import { runCli } from './cli.js';
import { processIo } from './io.js';

process.exit(await runCli(process.argv.slice(2), processIo(), process.env));
