/**
 * A TCP port free right now on 127.0.0.1, for a server that must be told its port up front
 * (a service process configured by env). Another process may take it before it is used; the
 * servers this repository starts itself listen on port 0 instead.
 */
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address to take a port from');
  return address.port;
}
