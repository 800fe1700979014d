import { loadConfig } from '@hotrepos/config';
import { runService } from '@hotrepos/runtime';
import { startGateway } from './app.js';
import { GatewayEnv } from './config.js';

await runService({ name: 'gateway', config: loadConfig(GatewayEnv), start: (deps) => startGateway(deps) });
