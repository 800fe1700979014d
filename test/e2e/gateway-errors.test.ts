/**
 * A failing HTTP route reaches the admins: the gateway answers 500, publishes `errors.report` with
 * the route and request id, and the real mailer turns it into a digest e-mail over real SMTP.
 */
import { NatsTransport } from '@hotrepos/bus';
import { parseConfig } from '@hotrepos/config';
import { buildGateway, type GatewayApp } from '@hotrepos/gateway/app';
import { GatewayEnv } from '@hotrepos/gateway/config';
import { createLogger } from '@hotrepos/logging';
import { startMailer } from '@hotrepos/mailer/app';
import { MailerEnv } from '@hotrepos/mailer/config';
import { createErrorReporter, createHotBus, type HotBus, type RunningService } from '@hotrepos/runtime';
import { startSmtpServer, type SmtpTestServer } from '@hotrepos/smtp-testing';
import { startNatsServer, type NatsServer } from '@hotrepos/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('gateway failures, end to end', { timeout: 60_000 }, () => {
  let nats: NatsServer;
  let smtp: SmtpTestServer;
  let buses: HotBus[] = [];
  let mailer: RunningService;
  let gateway: GatewayApp;
  let url: string;

  beforeAll(async () => {
    [nats, smtp] = await Promise.all([startNatsServer(), startSmtpServer()]);
    const connect = async (service: string) => {
      const bus = await createHotBus(await NatsTransport.connect({ servers: nats.url, name: service }), { service });
      buses.push(bus);
      return bus;
    };
    const silent = (service: string) => createLogger({ service, level: 'silent' });

    const mailerBus = await connect('mailer');
    mailer = await startMailer({
      bus: mailerBus,
      logger: silent('mailer'),
      config: parseConfig(MailerEnv, { SMTP_URL: smtp.url, ADMINS: 'admin@example.com', ERROR_DIGEST_WINDOW: '1s' }),
    });

    const gatewayBus = await connect('gateway');
    const logger = silent('gateway');
    gateway = await buildGateway({ bus: gatewayBus, logger, config: parseConfig(GatewayEnv, {}), errors: createErrorReporter({ service: 'gateway', bus: () => gatewayBus, logger }) });
    gateway.get('/api/test/broken', () => {
      throw new Error('the broken route broke');
    });
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await mailer?.stop();
    for (const bus of buses) {
      await bus.stop();
      await bus.transport.close();
    }
    buses = [];
    await smtp?.stop();
    await nats?.stop();
  });

  it('mails the admins a digest naming the route and the request id', async () => {
    const res = await fetch(`${url}/api/test/broken`, { headers: { 'x-request-id': 'e2e-broken-1' } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error', requestId: 'e2e-broken-1' } });

    const [mail] = await smtp.waitForMessages(1, 30_000);
    expect(mail!.to).toEqual(['admin@example.com']);
    expect(mail!.text).toContain('gateway, GET /api/test/broken → 500');
    expect(mail!.text).toContain('Request id: e2e-broken-1');
    expect(mail!.text).toContain('the broken route broke');
  });
});
