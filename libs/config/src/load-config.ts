import { writeSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { parseConfig } from './parse-config.js';

/**
 * For an app's `main.ts`: a bad environment stops the process with exit code 1 and one stderr line per problem,
 * instead of a stack trace.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.output<S>> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A synchronous write, because process.exit does not wait for a pending write to a pipe.
    writeSync(2, ['invalid configuration:', ...error.issues.map((line) => `  ${line}`), ''].join('\n'));
    process.exit(1);
  }
}
