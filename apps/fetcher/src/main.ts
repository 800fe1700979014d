import { loadConfig } from '@hotrepos/config';
import { runService } from '@hotrepos/runtime';
import { startFetcher } from './app.js';
import { FetcherEnv } from './config.js';

await runService({ name: 'fetcher', config: loadConfig(FetcherEnv), start: (deps) => startFetcher(deps) });
