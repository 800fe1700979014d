import { ConfigError, parseConfig } from '@hotrepos/config';
import { describe, expect, it } from 'vitest';
import { ImporterEnv } from '../src/config.js';

describe('importer config', () => {
  it('has defaults for everything', () => {
    expect(parseConfig(ImporterEnv, {})).toEqual({
      MEDIA_ROOT: './media',
      REPORT_FORMAT: 'grouped',
      IMPORTER_CONCURRENCY: 4,
      IMPORTER_MAX_DELIVER: 5,
      IMPORTER_RETRY_BACKOFF: 1_000,
    });
  });

  it('reads the environment', () => {
    expect(parseConfig(ImporterEnv, { MEDIA_ROOT: '/srv/media', REPORT_FORMAT: 'detailed', IMPORTER_CONCURRENCY: '2', IMPORTER_MAX_DELIVER: '8', IMPORTER_RETRY_BACKOFF: '5s' })).toEqual({
      MEDIA_ROOT: '/srv/media',
      REPORT_FORMAT: 'detailed',
      IMPORTER_CONCURRENCY: 2,
      IMPORTER_MAX_DELIVER: 8,
      IMPORTER_RETRY_BACKOFF: 5_000,
    });
  });

  it('names every bad variable', () => {
    const err = (() => {
      try {
        parseConfig(ImporterEnv, { REPORT_FORMAT: 'xlsx', IMPORTER_CONCURRENCY: '0' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([expect.stringMatching(/^REPORT_FORMAT: /), expect.stringMatching(/^IMPORTER_CONCURRENCY: /)]);
  });
});
