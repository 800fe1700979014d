/**
 * The whole pipeline as production runs it: a real nats-server, the GitHub fixture over HTTP,
 * and every service as its own process started from its `main.ts`.
 */
import { NatsTransport } from '@hotrepos/bus';
import { startGithubFixture, type FixtureOptions, type GithubFixture } from '@hotrepos/github-fixture';
import { createHotBus, type HotBus } from '@hotrepos/runtime';
import { startSmtpServer, type SmtpTestServer } from '@hotrepos/smtp-testing';
import { repoRoot, startNatsServer, startServiceProcess, type NatsServer, type RunningProcess } from '@hotrepos/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { repoRoot };

export type ServiceName = 'aggregator' | 'fetcher' | 'importer' | 'mailer' | 'scheduler' | 'gateway';

export interface Pipeline {
  readonly nats: NatsServer;
  readonly github: GithubFixture;
  /** Where the mailer sends (`ADMINS` is admin@example.com). */
  readonly smtp: SmtpTestServer;
  readonly mediaRoot: string;
  readonly logDir: string;
  /** A client bus on its own connection. */
  readonly client: HotBus;
  start(service: ServiceName, env?: Record<string, string>): Promise<RunningProcess>;
  /** Everything each service printed, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export async function startPipeline(github: FixtureOptions = {}): Promise<Pipeline> {
  const nats = await startNatsServer();
  const smtp = await startSmtpServer();
  const fixture = await startGithubFixture({ rateLimit: false, ...github });
  const dir = await mkdtemp(join(tmpdir(), 'hotrepos-e2e-'));
  const mediaRoot = join(dir, 'media');
  const logDir = join(dir, 'logs');
  const transport = await NatsTransport.connect({ servers: nats.url, name: 'e2e-client' });
  const client = await createHotBus(transport, { service: 'e2e-client' });
  const processes: RunningProcess[] = [];

  return {
    nats,
    github: fixture,
    smtp,
    mediaRoot,
    logDir,
    client,
    async start(service, env = {}) {
      const proc = startServiceProcess(service, {
        env: {
          NATS_URL: nats.url,
          GITHUB_API_URL: fixture.url,
          GITHUB_TOKEN: 'e2e-token',
          MEDIA_ROOT: mediaRoot,
          LOG_DIR: logDir,
          LOG_LEVEL: 'info',
          FETCHER_RETRY_INITIAL: '50ms',
          SMTP_URL: smtp.url,
          ADMINS: 'admin@example.com',
          ERROR_DIGEST_WINDOW: '4s',
          ...env,
        },
      });
      processes.push(proc);
      await proc.waitForOutput('"msg":"started"');
      return proc;
    },
    logs: () => processes.map((p) => `--- ${p.name} (${p.pid})\n${p.output().slice(-4000)}`).join('\n'),
    async stop() {
      await Promise.all(processes.map((p) => p.stop('SIGTERM')));
      await transport.close();
      await fixture.stop();
      await smtp.stop();
      await nats.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
