import { createServer } from 'node:net';
import type { Io } from '../src/io.js';

/** An `Io` that keeps what a command printed, like a pipe: no terminal, so no progress bar. */
export function memoryIo(): Io & { stdout(): string; stderr(): string; json<T>(): T } {
  let stdout = '';
  let stderr = '';
  return {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    tty: undefined,
    stdout: () => stdout,
    stderr: () => stderr,
    json: <T>() => JSON.parse(stdout) as T,
  };
}

/** A port nothing listens on: taken from the OS, then given back. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
