/**
 * A real SMTP server for tests, on a random port of 127.0.0.1: no TLS, no authentication
 * required, every accepted message parsed and kept in order of arrival. Failures are scripted
 * (`failNext`, `reject`) so a client's retry and dead-letter paths meet a real SMTP dialogue.
 */
import type { AddressInfo } from 'node:net';
import { waitFor } from '@hotrepos/testing';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import { ScriptedReplies, type SmtpFailure, type SmtpRefusal } from './scripted-replies.js';
import { SmtpServerStartError } from './smtp-server-start-error.js';

export interface SmtpServerOptions {
  /** Defaults to a free port. */
  readonly port?: number;
}

/** A message the server accepted. */
export interface ReceivedMail {
  /** What the client said in `MAIL FROM` and the `RCPT TO`s the server accepted. */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly subject: string;
  /** The `From` header as text. */
  readonly from: string;
  /** The addresses of the `To` header. */
  readonly to: readonly string[];
  readonly text: string;
  /** Empty when the message has no HTML part. */
  readonly html: string;
  /** Every header, names in lower case, as mailparser reads them. */
  readonly headers: ParsedMail['headers'];
}

export interface SmtpTestServer {
  /** `smtp://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Accepted messages, in order of arrival; a message is here before the client hears `250`. */
  readonly messages: readonly ReceivedMail[];
  /** Every refusal given, in order. */
  readonly refusals: readonly SmtpRefusal[];
  /** Resolves with the messages once at least `count` arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly ReceivedMail[]>;
  /** Refuses the next `count` recipients (stage `rcpt`) or messages (stage `data`) with `failure.code`. */
  failNext(count: number, failure: SmtpFailure): void;
  /** Refuses, from now on, every `RCPT TO` whose address equals `pattern` (case-insensitive) or matches it. */
  reject(pattern: string | RegExp, code?: number, message?: string): void;
  stop(): Promise<void>;
}

// How long stop() lets a client's idle pooled connection linger before cutting it.
const CLOSE_TIMEOUT_MS = 500;

export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<SmtpTestServer> {
  const messages: ReceivedMail[] = [];
  const refusals: SmtpRefusal[] = [];
  const replies = new ScriptedReplies();

  const refuse = (refusal: SmtpRefusal): SMTPServerError => {
    refusals.push(refusal);
    return Object.assign(new Error(refusal.message), { responseCode: refusal.code });
  };

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: CLOSE_TIMEOUT_MS,
    onRcptTo(address, _session, callback) {
      const refusal = replies.refusal('rcpt', address.address);
      callback(refusal ? refuse(refusal) : null);
    },
    onData(stream, session, callback) {
      // The stream must be read to its end whatever the answer, or the session stalls.
      simpleParser(stream).then(
        (parsed) => {
          const refusal = replies.refusal('data');
          if (refusal) return callback(refuse(refusal));
          messages.push(received(parsed, session.envelope.mailFrom ? session.envelope.mailFrom.address : '', session.envelope.rcptTo.map((r) => r.address)));
          callback(null);
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });

  const port = await listen(server, opts.port ?? 0);
  let stopped: Promise<void> | undefined;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    refusals,
    waitForMessages: (count, timeoutMs = 20_000) =>
      waitFor(() => messages.length >= count && [...messages], { timeoutMs, what: `${count} e-mail(s) at the test SMTP server (${messages.length} so far)` }),
    failNext: (count, failure) => replies.failNext(count, failure),
    reject: (pattern, code = 550, message) => replies.reject(pattern, code, message),
    stop() {
      stopped ??= new Promise((resolve) => server.close(() => resolve()));
      return stopped;
    },
  };
}

function listen(server: SMTPServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(new SmtpServerStartError(`test SMTP server cannot listen on 127.0.0.1:${port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      // A client that drops its connection is reported here; the test sees that on the client's side.
      server.on('error', () => undefined);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  const flatten = (list: AddressObject['value']): string[] => list.flatMap((a) => (a.group ? flatten(a.group) : a.address ? [a.address] : []));
  return [header ?? []].flat().flatMap((h) => flatten(h.value));
}

function received(parsed: ParsedMail, from: string, to: string[]): ReceivedMail {
  return {
    envelope: { from, to },
    subject: parsed.subject ?? '',
    from: parsed.from?.text ?? '',
    to: addresses(parsed.to),
    text: parsed.text ?? '',
    html: parsed.html || '',
    headers: parsed.headers,
  };
}
