import { loadConfig } from '@hotrepos/config';
import { runService } from '@hotrepos/runtime';
import { startScheduler } from './app.js';
import { SchedulerEnv } from './config.js';

await runService({ name: 'scheduler', config: loadConfig(SchedulerEnv), start: (deps) => startScheduler(deps) });
