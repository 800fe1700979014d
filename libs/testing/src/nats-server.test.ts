import { connect } from '@nats-io/transport-node';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NatsServerStartError, startNatsServer } from './index.js';

describe('startNatsServer', () => {
  it('starts JetStream on a random port and cleans up its store', async () => {
    const server = await startNatsServer();
    try {
      expect(server.port).toBeGreaterThan(0);
      const nc = await connect({ servers: server.url });
      const info = nc.info;
      expect(info?.jetstream).toBe(true);
      await nc.close();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.storeDir)).toBe(false);
  });

  it('two servers get two ports', async () => {
    const [a, b] = await Promise.all([startNatsServer(), startNatsServer()]);
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('fails clearly when the binary is missing', async () => {
    await expect(startNatsServer({ bin: '/nonexistent/nats-server' })).rejects.toBeInstanceOf(NatsServerStartError);
  });
});
