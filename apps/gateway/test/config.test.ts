/** The gateway's env and where it finds the page. */
import { ConfigError, parseConfig } from '@hotrepos/config';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GatewayEnv } from '../src/config.js';
import { resolvePublicDir } from '../src/public-dir.js';

describe('gateway config', () => {
  it('has defaults for everything, empty values counting as unset', () => {
    expect(parseConfig(GatewayEnv, { GATEWAY_PORT: '' })).toEqual({
      GATEWAY_PORT: 3000,
      GATEWAY_HOST: '0.0.0.0',
      GATEWAY_BODY_LIMIT: 16_384,
      GATEWAY_RECENT_LIMIT: 20,
      GATEWAY_SSE_KEEPALIVE: 15_000,
      GATEWAY_SSE_MAX_STREAMS: 1000,
    });
    expect(parseConfig(GatewayEnv, { GATEWAY_SSE_KEEPALIVE: '2s', GATEWAY_PORT: '0' })).toMatchObject({ GATEWAY_SSE_KEEPALIVE: 2_000, GATEWAY_PORT: 0 });
  });

  it('rejects a bad port and a recent limit past 100, one line each', () => {
    expect(() => parseConfig(GatewayEnv, { GATEWAY_PORT: 'http', GATEWAY_RECENT_LIMIT: '500' })).toThrow(ConfigError);
    try {
      parseConfig(GatewayEnv, { GATEWAY_PORT: 'http', GATEWAY_RECENT_LIMIT: '500' });
    } catch (err) {
      expect((err as ConfigError).issues).toEqual([expect.stringMatching(/^GATEWAY_PORT: /), expect.stringMatching(/^GATEWAY_RECENT_LIMIT: /)]);
    }
  });
});

describe('the public folder', () => {
  it('is the configured one, else public/ beside the module (the bundle), else the package one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gateway-public-'));
    try {
      const moduleUrl = pathToFileURL(join(dir, 'app', 'main.mjs')).href;
      expect(resolvePublicDir('/srv/page', moduleUrl)).toBe('/srv/page');
      expect(resolvePublicDir(undefined, moduleUrl)).toBe(join(dir, 'public'));
      await mkdir(join(dir, 'app', 'public'), { recursive: true });
      expect(resolvePublicDir(undefined, moduleUrl)).toBe(join(dir, 'app', 'public'));
      expect(resolvePublicDir(undefined)).toBe(join(import.meta.dirname, '..', 'public'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
