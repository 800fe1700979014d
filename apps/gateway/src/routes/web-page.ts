/** `GET /` is the page's `index.html`, `GET /assets/*` its scripts and styles, from the public folder. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { GatewayApp } from '../gateway-app.js';

export async function webPageRoutes(app: GatewayApp, publicDir: string): Promise<void> {
  if (!existsSync(join(publicDir, 'index.html'))) app.log.warn({ publicDir }, 'no index.html in the public folder: the web page is not served');
  // Files are looked up per request (wildcard route), so assets added after start-up are served too.
  await app.register(fastifyStatic, { root: join(publicDir, 'assets'), prefix: '/assets/', index: false });
  app.get('/', (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', publicDir));
}
