/**
 * docker-compose.yml as Compose itself reads it (`docker-compose config`), and the build steps of
 * the Dockerfiles it names, so tests check and replay what `docker compose up --build` would do
 * on a machine with a Docker engine.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);

export const repoRoot = join(import.meta.dirname, '..', '..');

export const APP_SERVICES = ['aggregator', 'fetcher', 'importer', 'mailer', 'scheduler', 'gateway'] as const;
export type AppService = (typeof APP_SERVICES)[number];

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>;
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly volumes?: readonly string[];
  /** `3000:3000` strings, or the long form Compose prints for newer file formats. */
  readonly ports?: readonly (string | { readonly published?: number | string; readonly target?: number })[];
  readonly deploy?: { readonly replicas?: number };
  readonly restart?: string;
  readonly container_name?: string;
}

export interface ComposeConfig {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes: Readonly<Record<string, unknown>>;
  /** The Dockerfile a service builds from, as a path in this repository. */
  dockerfileOf(service: string): string;
}

/** Whether `docker-compose` (Compose 1.x, `apt-get install docker-compose`) can be run here. */
export async function hasDockerCompose(): Promise<boolean> {
  try {
    await run('docker-compose', ['version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * The resolved configuration, as on a fresh clone after `cp .env.example .env`: Compose runs in a
 * scratch copy, so a developer's own `.env` and shell variables play no part.
 */
export async function composeConfig(): Promise<ComposeConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'hotrepos-compose-'));
  try {
    await copyFile(join(repoRoot, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
    await copyFile(join(repoRoot, '.env.example'), join(dir, '.env'));
    const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: dir, env: { PATH: process.env['PATH'] } });
    const config = parse(stdout) as Omit<ComposeConfig, 'dockerfileOf'>;
    return {
      ...config,
      dockerfileOf(service) {
        const build = config.services[service]?.build;
        if (!build) throw new Error(`service ${service} has no build`);
        return join(repoRoot, relative(dir, build.context), build.dockerfile);
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface Dockerfile {
  /** Every stage's base image, in order. */
  readonly from: readonly string[];
  /** The esbuild command of the build stage, run from the repository root (WORKDIR /src). */
  readonly esbuild: readonly string[];
  /** `ENV` of the final stage: what the container starts with besides Compose's environment. */
  readonly runtimeEnv: Readonly<Record<string, string>>;
  readonly user: string | undefined;
  readonly cmd: readonly string[];
}

export async function readDockerfile(path: string): Promise<Dockerfile> {
  const lines = (await readFile(path, 'utf8')).split('\n').map((l) => l.trim());
  const stages = lines.flatMap((line, index) => (line.startsWith('FROM ') ? [index] : []));
  const runtime = lines.slice(stages.at(-1));
  const execForm = (keyword: string, line: string | undefined) => (line ? (JSON.parse(line.slice(keyword.length)) as string[]) : []);
  return {
    from: stages.map((index) => lines[index]!.split(/\s+/)[1]!),
    esbuild: execForm('RUN', lines.find((l) => l.startsWith('RUN [') && l.includes('esbuild'))),
    runtimeEnv: Object.fromEntries(runtime.filter((l) => l.startsWith('ENV ')).map((l) => l.slice('ENV '.length).split('=', 2) as [string, string])),
    user: runtime.find((l) => l.startsWith('USER '))?.slice('USER '.length),
    cmd: execForm('CMD', runtime.find((l) => l.startsWith('CMD ['))),
  };
}

/** Runs a Dockerfile's esbuild command here, writing the bundle to `outfile` instead of the image's path. */
export async function bundle(dockerfile: Dockerfile, outfile: string): Promise<void> {
  const [bin, ...args] = dockerfile.esbuild;
  if (!bin) throw new Error('the Dockerfile has no esbuild step');
  const placed = args.map((arg) => (arg.startsWith('--outfile=') ? `--outfile=${outfile}` : arg));
  await run(join(repoRoot, bin), [...placed, '--log-level=warning'], { cwd: repoRoot });
}
