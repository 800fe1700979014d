/**
 * NATS subject wildcards, evaluated the way the server does, so that code choosing a stream
 * or a handler agrees with where the server actually stores and delivers a message.
 */

/**
 * `*` matches exactly one token, `>` (last token only) one or more. A subject with an empty
 * token (`a..b`, `a.`) is not a valid NATS subject and matches nothing.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const patternTokens = pattern.split('.');
  const subjectTokens = subject.split('.');
  if (subjectTokens.some((token) => token === '')) return false;
  for (let i = 0; i < patternTokens.length; i++) {
    const token = patternTokens[i];
    if (token === '>') return i === patternTokens.length - 1 && subjectTokens.length > i;
    const candidate = subjectTokens[i];
    if (candidate === undefined) return false;
    if (token !== '*' && token !== candidate) return false;
  }
  return patternTokens.length === subjectTokens.length;
}
