import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, isSupportedContractVersion } from './index.js';

describe('isSupportedContractVersion', () => {
  it('accepts a message without the header, as a plain `nats pub` sends', () => {
    expect(isSupportedContractVersion(undefined)).toBe(true);
  });

  it('accepts the current version', () => {
    expect(CONTRACT_VERSION).toBe('1');
    expect(isSupportedContractVersion(CONTRACT_VERSION)).toBe(true);
  });

  it.each(['2', '0', '', '1.0', 'v1', ' 1'])('rejects %j', (version) => {
    expect(isSupportedContractVersion(version)).toBe(false);
  });
});
