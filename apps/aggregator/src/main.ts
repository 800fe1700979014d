import { loadConfig } from '@hotrepos/config';
import { runService } from '@hotrepos/runtime';
import { startAggregator } from './app.js';
import { AggregatorEnv } from './config.js';

await runService({ name: 'aggregator', config: loadConfig(AggregatorEnv), start: (deps) => startAggregator(deps) });
