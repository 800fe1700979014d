/**
 * docker-compose.yml as Compose reads it, on a fresh clone and with a `.env`, the Dockerfile it
 * builds from, and `.env.example`. No Docker engine is needed: `docker-compose config` only parses
 * and resolves the file.
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_SERVICES, composeConfig, hasDockerCompose, readDockerfile, repoRoot, type ComposeConfig, type ComposeService } from './compose-project.js';

// Skipped only on a developer's machine without docker-compose; CI (.ci/run) installs it, so there it must run.
const canRunCompose = (await hasDockerCompose()) || process.env['CI'] !== undefined;
if (!canRunCompose) console.warn('docker-compose is not installed: skipping the docker-compose.yml checks (apt-get install docker-compose)');

/** `source:target[:mode]` entries of a service's volumes, as Compose 1.x prints them. */
const mounts = (volumes: readonly string[] = []) => volumes.map((v) => v.split(':')).map(([source, target]) => ({ source, target }));

/** `host:container` port mappings, from either form Compose prints. */
const published = (service: ComposeService | undefined) =>
  (service?.ports ?? []).map((p) => (typeof p === 'string' ? p.replace(/\/tcp$/, '') : `${p.host_ip ? `${p.host_ip}:` : ''}${p.published}:${p.target}`));

/** The README's configuration table: each variable and the app that reads it (or `all`). */
async function documentedSettings(): Promise<{ name: string; service: string }[]> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'));
  return [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([a-z]+) \|/gm)].map(([, name, service]) => ({ name: name!, service: service! }));
}

/**
 * Settings `.env` cannot change, with what the app gets instead: docker-compose.yml wires these to
 * its own container, volumes and port, or leaves them to the app's default (undefined).
 */
const WIRED_BY_COMPOSE: Readonly<Record<string, string | undefined>> = {
  NATS_URL: 'nats://nats:4222',
  LOG_DIR: '/data/logs',
  MEDIA_ROOT: '/data/media',
  // `.env`'s GATEWAY_PORT moves the host's side of the mapping instead (checked below).
  GATEWAY_PORT: '3000',
  NATS_REPLICAS: undefined,
  SERVICE_NAME: undefined,
  GATEWAY_HOST: undefined,
  GATEWAY_PUBLIC_DIR: undefined,
};

describe.runIf(canRunCompose)('docker-compose.yml on a fresh clone (no .env)', () => {
  let config: ComposeConfig;
  beforeAll(async () => {
    config = await composeConfig();
  });

  it('has nats, mailpit and one service per app', () => {
    expect(Object.keys(config.services).sort()).toEqual([...APP_SERVICES, 'mailpit', 'nats'].sort());
  });

  it('pins a current nats image, JetStream on a named volume, healthy once JetStream is', () => {
    const nats = config.services['nats']!;
    const version = /^nats:(2\.1[12]\.\d+)-alpine$/.exec(nats.image ?? '')?.[1];
    expect(version, nats.image).toBeDefined();
    expect(['2.12.3', '2.12.4']).not.toContain(version);
    expect(nats.command).toEqual(['-js', '-sd', '/data', '-m', '8222']);
    expect(mounts(nats.volumes)).toContainEqual({ source: 'nats-data', target: '/data' });
    expect(nats.healthcheck?.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8222/healthz?js-enabled-only=true']);
    expect(nats.restart).toBe('unless-stopped');
  });

  it('pins mailpit, with a health check', () => {
    const mailpit = config.services['mailpit']!;
    expect(mailpit.image).toMatch(/^axllent\/mailpit:v\d+\.\d+\.\d+$/);
    expect(mailpit.healthcheck?.test).toEqual(['CMD', '/mailpit', 'readyz']);
  });

  it.each(APP_SERVICES)('%s: built from the Dockerfile for its app, started once nats is healthy, restarted, logging to a volume', async (name) => {
    const service = config.services[name]!;
    const build = config.buildOf(name);
    expect(build).toEqual({ dockerfile: join(repoRoot, 'Dockerfile'), args: { SERVICE: name } });
    await access(build.dockerfile);
    expect(service.depends_on?.['nats']).toEqual({ condition: 'service_healthy' });
    expect(service.restart).toBe('unless-stopped');
    expect(service.environment).toMatchObject({ NATS_URL: 'nats://nats:4222', LOG_DIR: '/data/logs' });
    expect(mounts(service.volumes)).toContainEqual({ source: 'logs', target: '/data/logs' });
    // Replicas of one service need these free: `--scale fetcher=5` would clash on a fixed name or host port.
    expect(service.container_name).toBeUndefined();
    if (name !== 'gateway') expect(service.ports).toBeUndefined();
  });

  it('leaves every other setting empty, so each app runs on its own defaults (no GitHub token, no admins)', () => {
    for (const name of APP_SERVICES) {
      // SMTP_URL's default is Mailpit's container (checked below).
      const settings = Object.entries(config.services[name]!.environment ?? {}).filter(([key]) => !(key in WIRED_BY_COMPOSE) && key !== 'SMTP_URL');
      expect(settings.length, name).toBeGreaterThan(0);
      expect(settings.filter(([, value]) => value !== ''), name).toEqual([]);
    }
    expect(config.services['fetcher']?.environment?.['GITHUB_TOKEN']).toBe('');
    expect(config.services['mailer']?.environment?.['ADMINS']).toBe('');
  });

  it('publishes the gateway on port 3000, healthy once /readyz answers', () => {
    const gateway = config.services['gateway']!;
    expect(published(gateway)).toEqual(['3000:3000']);
    expect(gateway.environment?.['GATEWAY_PORT']).toBe('3000');
    expect(gateway.healthcheck?.test).toEqual(['CMD', 'node', '-e', "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]);
  });

  it('gives the importer the media volume and the mailer mailpit', () => {
    const { importer, mailer } = config.services;
    expect(importer?.environment?.['MEDIA_ROOT']).toBe('/data/media');
    expect(mounts(importer?.volumes)).toContainEqual({ source: 'media', target: '/data/media' });
    expect(mailer?.environment?.['SMTP_URL']).toBe('smtp://mailpit:1025');
    expect(mailer?.depends_on?.['mailpit']).toEqual({ condition: 'service_healthy' });
  });

  it('runs three fetchers and one of each other app', () => {
    expect(config.services['fetcher']?.deploy?.replicas).toBe(3);
    for (const name of APP_SERVICES.filter((n) => n !== 'fetcher')) expect(config.services[name]?.deploy?.replicas ?? 1).toBe(1);
  });

  it('declares every named volume it mounts', () => {
    const used = Object.values(config.services).flatMap((s) => mounts(s.volumes).map((m) => m.source));
    expect(Object.keys(config.volumes).sort()).toEqual([...new Set(used)].sort());
  });

  it('publishes NATS on 127.0.0.1:4222', () => {
    expect(published(config.services['nats'])).toEqual(['127.0.0.1:4222:4222']);
  });
});

describe.runIf(canRunCompose)('docker-compose.yml with a .env', () => {
  it('passes every setting of the README table from .env to the apps that read it, but those it wires itself', async () => {
    const settings = await documentedSettings();
    const valueOf = (name: string) => (name === 'GATEWAY_PORT' ? '8080' : `from-dotenv-${name}`);
    const config = await composeConfig([...settings.map(({ name }) => `${name}=${valueOf(name)}`), 'NATS_PORT=14222', ''].join('\n'));
    const expected = (name: string) => (name in WIRED_BY_COMPOSE ? WIRED_BY_COMPOSE[name] : valueOf(name));
    const wrong = settings.flatMap(({ name, service }) =>
      (service === 'all' ? APP_SERVICES : [service]).flatMap((app) => {
        const value = config.services[app]?.environment?.[name];
        return value === expected(name) ? [] : [{ name, app, value }];
      }),
    );
    expect(settings.length).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
    expect(published(config.services['gateway'])).toEqual(['8080:3000']);
    expect(published(config.services['nats'])).toEqual(['127.0.0.1:14222:4222']);
  });

  it("gives the fetchers .env's GITHUB_TOKEN and the mailer its ADMINS, and no other app either", async () => {
    const config = await composeConfig('GITHUB_TOKEN=ghp_example\nADMINS=ops@example.com,oncall@example.com\n');
    expect(config.services['fetcher']?.environment?.['GITHUB_TOKEN']).toBe('ghp_example');
    expect(config.services['mailer']?.environment?.['ADMINS']).toBe('ops@example.com,oncall@example.com');
    const holders = (key: string) => APP_SERVICES.filter((name) => config.services[name]?.environment?.[key] !== undefined);
    expect({ GITHUB_TOKEN: holders('GITHUB_TOKEN'), ADMINS: holders('ADMINS') }).toEqual({ GITHUB_TOKEN: ['fetcher'], ADMINS: ['mailer'] });
  });

  it('resolves .env.example as it resolves no .env at all: its defaults are the apps\'', async () => {
    const example = await readFile(join(repoRoot, '.env.example'), 'utf8');
    const [withExample, without] = await Promise.all([composeConfig(example), composeConfig()]);
    // What `.env` can reach; each copy's build context is a folder of its own.
    const settings = (config: ComposeConfig) =>
      Object.fromEntries(Object.entries(config.services).map(([name, service]) => [name, { environment: service.environment, ports: published(service) }]));
    expect(settings(withExample)).toEqual(settings(without));
  });
});

describe('the Dockerfile', () => {
  it.each(APP_SERVICES)('%s: bundled on a pinned Node 20, run as node from the bundle alone', async (name) => {
    const dockerfile = await readDockerfile(join(repoRoot, 'Dockerfile'), { SERVICE: name });
    expect(dockerfile.from).toHaveLength(2);
    for (const image of dockerfile.from) expect(image).toMatch(/^node:20\.\d+\.\d+-bookworm-slim(\s|$)/);
    expect(dockerfile.esbuild.cwd).toBe(join(repoRoot, 'apps', name));
    expect(dockerfile.esbuild.command.slice(0, 2)).toEqual(['../../node_modules/.bin/esbuild', 'src/main.ts']);
    expect(dockerfile.esbuild.command).toEqual(
      expect.arrayContaining(['--bundle', '--platform=node', '--format=esm', '--target=node20', '--conditions=@hotrepos/source', '--outfile=/out/main.mjs']),
    );
    expect(dockerfile.runtimeEnv).toEqual({ NODE_ENV: 'production' });
    expect(dockerfile.user).toBe('node');
    expect(dockerfile.cmd).toEqual(['node', 'main.mjs']);
  });
});

describe('.env.example', () => {
  it('lists every variable of the README configuration table', async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    const documented = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]);
    const example = await readFile(join(repoRoot, '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('sets nothing but an empty GITHUB_TOKEN: the defaults hold until a line is uncommented', async () => {
    const example = await readFile(join(repoRoot, '.env.example'), 'utf8');
    expect(example.split('\n').filter((line) => /^[A-Z]/.test(line))).toEqual(['GITHUB_TOKEN=']);
  });
});
