/**
 * An app's `config.ts`: `export const config = loadConfig(z.object({ ...commonEnv, PORT: envInt().default(8080) }))`.
 * Tests call `parseConfig` with their own env object instead.
 */
export { ConfigError } from './config-error.js';
export { parseConfig } from './parse-config.js';
export { loadConfig } from './load-config.js';
export { commonEnv } from './common-env.js';
export { envInt, envList, envDurationMs } from './coercions.js';
