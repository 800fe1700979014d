import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../test/fixtures/load-config-main.ts', import.meta.url));

async function runMain(env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', main], {
      env: { PATH: process.env['PATH'], ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('loadConfig', () => {
  it('returns the parsed config when the environment is valid', async () => {
    const result = await runMain({ LOG_DIR: '/tmp/logs', LOG_LEVEL: 'debug' });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ LOG_DIR: '/tmp/logs', LOG_LEVEL: 'debug', NATS_REPLICAS: 1 });
  });

  it('exits with 1 and one stderr line per problem', async () => {
    const result = await runMain({ NATS_URL: 'http://nope', LOG_DIR: '' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('invalid configuration:\n  NATS_URL: Invalid URL\n  LOG_DIR: required\n');
  });
});
