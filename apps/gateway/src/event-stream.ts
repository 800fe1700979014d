/**
 * A Server-Sent Events response body: `event:`/`data:` frames and comment lines written to a
 * stream fastify sends. It ends on `end()`, on `stop` (the app closing) and when the client goes
 * away; `signal` aborts in the last two cases so whoever feeds it stops too.
 */
import { PassThrough } from 'node:stream';

export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  // nginx would otherwise buffer the stream and deliver the events in bursts.
  'x-accel-buffering': 'no',
  // The socket goes with the stream: kept alive, it would outlast a stream the gateway ended on
  // close and hold the server open for the whole keep-alive timeout.
  connection: 'close',
} as const;

export interface EventStream {
  readonly body: PassThrough;
  /** Aborted when the client disconnected or the app is closing. */
  readonly signal: AbortSignal;
  send(event: string, data: unknown): void;
  end(): void;
}

export function openEventStream({ keepAliveMs, stop }: { keepAliveMs: number; stop: AbortSignal }): EventStream {
  const body = new PassThrough();
  const gone = new AbortController();
  const signal = AbortSignal.any([gone.signal, stop]);
  const write = (text: string) => {
    if (!body.writableEnded && !body.destroyed) body.write(text);
  };
  const keepAlive = setInterval(() => write(': keep-alive\n\n'), keepAliveMs);
  const end = () => {
    clearInterval(keepAlive);
    if (!body.writableEnded && !body.destroyed) body.end();
  };
  // fastify destroys the body when the response closes early, i.e. when the client disconnects.
  body.once('close', () => {
    clearInterval(keepAlive);
    gone.abort(new Error('client disconnected'));
  });
  signal.addEventListener('abort', end, { once: true });
  // The response headers go out with the first bytes: this comment lets the client see the stream open at once.
  write(': connected\n\n');
  return {
    body,
    signal,
    send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    end,
  };
}
