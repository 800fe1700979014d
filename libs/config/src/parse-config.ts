/**
 * Parses an app's environment once at start-up: empty strings count as unset (as in t3-env),
 * and every problem is reported at once, one line per variable.
 */
import type { z } from 'zod';
import { ConfigError } from './config-error.js';

export function parseConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.output<S>> {
  const input = presentValues(schema, env);
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => describe(issue, input)), { cause: result.error });
  }
  return Object.freeze(result.data);
}

/**
 * Only the schema's own keys are read, so a strict schema is not tripped up by the rest of the environment;
 * an empty string is dropped because `FOO=` in a compose file or shell usually means "use the default".
 */
function presentValues(schema: z.ZodObject, env: NodeJS.ProcessEnv): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') values[key] = value;
  }
  return values;
}

function describe(issue: z.core.$ZodIssue, input: Record<string, string>): string {
  const variable = issue.path.map(String).join('.');
  const missing = issue.code === 'invalid_type' && issue.path.length === 1 && input[String(issue.path[0])] === undefined;
  return `${variable}: ${missing ? 'required' : issue.message}`;
}
