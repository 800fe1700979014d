/**
 * The bare fastify server the gateway is measured against: the same fastify, the same routes and
 * answer shapes, but nothing behind them (no validation, no broker, no KV read, no logging). What
 * the gateway costs beyond this is its own work. Prints `{"port":N}` once listening.
 */
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';

const status = JSON.parse(process.argv[2] ?? '{}') as unknown;
const app = Fastify({ logger: false });

app.post('/api/reports', async (_request, reply) => {
  const reportId = randomUUID();
  const statusUrl = `/api/reports/${reportId}`;
  return reply
    .code(202)
    .header('location', statusUrl)
    .send({ reportId, duplicate: false, statusUrl, eventsUrl: `${statusUrl}/events`, fileUrl: `${statusUrl}/file` });
});
app.get('/api/reports/:id', async () => status);

const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ port: Number(new URL(address).port) }));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
