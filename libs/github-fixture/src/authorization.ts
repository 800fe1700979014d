export type Caller = { readonly token: string | undefined } | 'malformed';

/** Reads `Authorization: Bearer <token>` or the older `token <token>`; no header means an anonymous caller. */
export function callerOf(header: string | undefined): Caller {
  if (header === undefined) return { token: undefined };
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header);
  return match?.[1] === undefined ? 'malformed' : { token: match[1] };
}
