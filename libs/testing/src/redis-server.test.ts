import { createConnection } from 'node:net';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RedisServerStartError, startRedisServer } from './index.js';

/** One inline command, answered in RESP: enough to see the server work without a client library. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.endsWith('\r\n') && !/^\$\d+\r\n$/.test(answer)) socket.end();
    });
    socket.once('close', () => resolve(answer));
    socket.write(`${line}\r\n`);
  });
}

describe('startRedisServer', () => {
  it('starts on a free port other than 6379 and cleans up its data dir', async () => {
    const server = await startRedisServer();
    try {
      expect(server.port).not.toBe(6379);
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      expect(await command(server.port, 'PING')).toBe('+PONG\r\n');
      expect(await command(server.port, 'CONFIG GET appendonly')).toContain('yes');
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dataDir)).toBe(false);
  });

  it('keeps what it was told across a restart on the same port and data dir', async () => {
    const first = await startRedisServer();
    await command(first.port, 'SET kept yes');
    await first.stop({ keepData: true });
    const second = await startRedisServer({ port: first.port, dataDir: first.dataDir });
    try {
      expect(await command(second.port, 'GET kept')).toBe('$3\r\nyes\r\n');
    } finally {
      await second.stop();
      await rm(first.dataDir, { recursive: true, force: true });
    }
  });

  it('two servers get two ports', async () => {
    const [a, b] = await Promise.all([startRedisServer(), startRedisServer()]);
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('fails clearly when the binary is missing', async () => {
    await expect(startRedisServer({ bin: '/nonexistent/redis-server' })).rejects.toBeInstanceOf(RedisServerStartError);
  });
});
