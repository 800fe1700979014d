import { currentScope, withScope } from '@hotrepos/scope';
import { describe, expect, it } from 'vitest';
import { memoryDestination } from '../test/memory-destination.js';
import { createLogger } from './index.js';

describe('createLogger', () => {
  it('stamps every line with the service and an ISO time, at info and above by default', () => {
    const destination = memoryDestination();
    const logger = createLogger({ service: 'fetcher', destination });
    logger.debug('hidden');
    logger.info('shown');
    const [line, ...rest] = destination.records();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 30, service: 'fetcher', msg: 'shown' });
    expect(line?.['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('adds the current scope fields to lines logged inside a scope', () => {
    const destination = memoryDestination();
    const logger = createLogger({ service: 'fetcher', destination });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    withScope({ correlationId: 'c-1', locale: 'de', traceparent, userId: 'u-7' }, () => {
      logger.info('in scope');
      logger.info({ locale: 'fr' }, 'explicit field wins');
      expect(currentScope().locale).toBe('de');
    });
    logger.info('outside');
    const [inScope, explicit, outside] = destination.records();
    expect(inScope).toMatchObject({ correlationId: 'c-1', locale: 'de', traceparent, userId: 'u-7' });
    expect(explicit).toMatchObject({ correlationId: 'c-1', locale: 'fr' });
    expect(outside).not.toHaveProperty('correlationId');
  });

  it('redacts secrets', () => {
    const destination = memoryDestination();
    const logger = createLogger({ service: 'mailer', destination });
    logger.info({ headers: { authorization: 'Bearer x' }, token: 'y', req: { headers: { authorization: 'Bearer z' } }, smtp: { smtpUrl: 'smtp://u:p@h' }, GITHUB_TOKEN: 'g' });
    expect(destination.records()[0]).toMatchObject({
      headers: { authorization: '[redacted]' },
      token: '[redacted]',
      req: { headers: { authorization: '[redacted]' } },
      smtp: { smtpUrl: '[redacted]' },
      GITHUB_TOKEN: '[redacted]',
    });
    expect(destination.text.join('')).not.toMatch(/Bearer|smtp:\/\/|"g"/);
  });

  it('serializes an error under err with its cause', () => {
    const destination = memoryDestination();
    const logger = createLogger({ service: 'importer', destination });
    const error = new Error('could not store CSV', { cause: new TypeError('bucket missing') });
    logger.error({ err: error }, 'import failed');
    logger.error(error);
    for (const line of destination.records()) {
      expect(line['err']).toMatchObject({
        type: 'Error',
        message: 'could not store CSV',
        stack: expect.stringContaining('could not store CSV'),
        cause: { type: 'TypeError', message: 'bucket missing', stack: expect.stringContaining('bucket missing') },
      });
    }
    expect(destination.records()).toHaveLength(2);
  });

  it('writes human-readable lines when pretty', () => {
    const destination = memoryDestination();
    const logger = createLogger({ service: 'fetcher', destination, pretty: true });
    withScope({ correlationId: 'c-9' }, () => logger.warn({ token: 'y' }, 'slow down'));
    const [text] = destination.text;
    expect(text).toMatch(/WARN.*slow down/);
    expect(text).toContain('correlationId: "c-9"');
    expect(text).toContain('[redacted]');
    expect(() => JSON.parse(text ?? '')).toThrow();
  });
});
