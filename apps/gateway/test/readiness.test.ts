/** `/readyz` follows the broker: ready with the streams in place, 503 once nats-server is gone. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

describe('readiness', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is ready when NATS is connected and every stream exists', async () => {
    const res = await fetch(`${h.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  it('answers 503 with the reason when a stream is missing', async () => {
    await h.transport.connection.request('$JS.API.STREAM.DELETE.DLQ', '');
    const res = await fetch(`${h.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not ready', reason: 'missing streams: DLQ' });
  });

  it('answers 503 when nats-server is stopped, while /healthz still answers ok', async () => {
    await h.nats.stop();
    const started = Date.now();
    const res = await fetch(`${h.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not ready', reason: expect.stringMatching(/NATS/) });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});
