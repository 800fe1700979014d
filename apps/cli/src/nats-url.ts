/** The NATS URL the CLI uses without `--nats` or `NATS_URL`, and how it shows one to a person. */

/** The services' default too (`NATS_URL` in README's configuration table). */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/**
 * The URL (or comma-separated list) with its secrets masked, for messages and `--help`: a password
 * becomes `***` and the user name stays (`nats://alice:***@host`); a lone user part may be a token,
 * so it is masked whole (`nats://***@host`).
 */
export function redactNatsUrl(url: string): string {
  return url
    .split(',')
    .map((server) =>
      server.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)?([^@/]*)@/i, (_match, scheme: string | undefined, userinfo: string) => {
        const colon = userinfo.indexOf(':');
        return `${scheme ?? ''}${colon === -1 ? '***' : `${userinfo.slice(0, colon)}:***`}@`;
      }),
    )
    .join(',');
}
