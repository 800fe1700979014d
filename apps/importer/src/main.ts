import { loadConfig } from '@hotrepos/config';
import { runService } from '@hotrepos/runtime';
import { startImporter } from './app.js';
import { ImporterEnv } from './config.js';

await runService({ name: 'importer', config: loadConfig(ImporterEnv), start: (deps) => startImporter(deps) });
