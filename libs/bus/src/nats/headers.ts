import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { ReceivedHeaders } from '../transport.js';

export function toNatsHeaders(values: Readonly<Record<string, string>> | undefined): MsgHdrs | undefined {
  if (!values || Object.keys(values).length === 0) return undefined;
  const h = natsHeaders();
  for (const [name, value] of Object.entries(values)) h.set(name, value);
  return h;
}

export function fromNatsHeaders(h: MsgHdrs | undefined): ReceivedHeaders {
  if (!h) return {};
  const out: Record<string, string[]> = {};
  for (const name of h.keys()) out[name] = h.values(name);
  return out;
}
