/**
 * The payload contracts' major version, written into the `contract-version` header.
 * Bump it only for a breaking change; additive optional fields keep the same major.
 */
export const CONTRACT_VERSION = '1';

const supported: ReadonlySet<string> = new Set([CONTRACT_VERSION]);

/**
 * A message without the header is taken as the current version, so that a plain `nats pub`
 * (which sends no headers) is still accepted.
 */
export function isSupportedContractVersion(version: string | undefined): boolean {
  return version === undefined || supported.has(version);
}
