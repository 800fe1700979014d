import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError, commonEnv, envInt, parseConfig } from './index.js';

const Config = z.object({ ...commonEnv, LOG_DIR: z.string(), PORT: envInt().default(8080) });

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('applies defaults and returns a frozen object', () => {
    const config = parseConfig(Config, { LOG_DIR: '/var/log/hot', NATS_URL: 'nats://127.0.0.1:4222' });
    expect(config).toEqual({ NATS_URL: 'nats://127.0.0.1:4222', LOG_LEVEL: 'info', LOG_DIR: '/var/log/hot', PORT: 8080, NATS_REPLICAS: 1 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty strings as unset', () => {
    const config = parseConfig(Config, { LOG_DIR: 'logs', LOG_LEVEL: '', NATS_URL: '', PORT: '' });
    expect(config).toEqual({ LOG_LEVEL: 'info', LOG_DIR: 'logs', PORT: 8080, NATS_REPLICAS: 1 });
  });

  it('reports every bad or missing variable on its own line', () => {
    const error = configError(() => parseConfig(Config, { NATS_URL: 'http://x', LOG_LEVEL: 'loud', PORT: '80a', LOG_DIR: '' }));
    expect(error.issues).toEqual([
      'NATS_URL: Invalid URL',
      expect.stringMatching(/^LOG_LEVEL: /),
      'LOG_DIR: required',
      'PORT: expected an integer',
    ]);
    expect(error.message).toBe(error.issues.join('\n'));
    expect(error.name).toBe('ConfigError');
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });

  it('reads only the schema keys, so a strict schema ignores the rest of the environment', () => {
    const config = parseConfig(z.strictObject({ SERVICE_NAME: z.string() }), { SERVICE_NAME: 'fetcher', PATH: '/bin' });
    expect(config).toEqual({ SERVICE_NAME: 'fetcher' });
  });

  it('reads process.env by default', () => {
    vi.stubEnv('HOTREPOS_CONFIG_TEST', 'yes');
    expect(parseConfig(z.object({ HOTREPOS_CONFIG_TEST: z.stringbool() }))).toEqual({ HOTREPOS_CONFIG_TEST: true });
  });
});

describe('commonEnv', () => {
  const Common = z.object(commonEnv);

  it('accepts one nats or tls server or a comma-separated list', () => {
    for (const url of ['nats://localhost:4222', 'tls://user:pw@nats.example.com:4443', 'nats://a:4222, nats://b:4222']) {
      expect(parseConfig(Common, { NATS_URL: url }).NATS_URL).toBe(url);
    }
  });

  it('rejects other schemes and malformed lists', () => {
    for (const url of ['http://localhost:4222', 'localhost:4222', 'nats://a:4222,,nats://b:4222']) {
      expect(configError(() => parseConfig(Common, { NATS_URL: url })).issues).toEqual(['NATS_URL: Invalid URL']);
    }
  });
});
