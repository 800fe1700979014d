/**
 * docker-compose.yml as Compose itself reads it (`docker-compose config`), and the build steps of
 * the Dockerfile it names, so tests check and replay what `docker compose up --build` would do
 * on a machine with a Docker engine.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);

export const repoRoot = join(import.meta.dirname, '..', '..');

export const APP_SERVICES = ['aggregator', 'fetcher', 'importer', 'mailer', 'scheduler', 'gateway'] as const;
export type AppService = (typeof APP_SERVICES)[number];

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string; readonly args?: Readonly<Record<string, string>> };
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>;
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly volumes?: readonly string[];
  /** `3000:3000` strings, or the long form Compose prints for newer file formats. */
  readonly ports?: readonly (string | { readonly published?: number | string; readonly target?: number; readonly host_ip?: string })[];
  readonly deploy?: { readonly replicas?: number };
  readonly restart?: string;
  readonly container_name?: string;
}

/** What a service's image is built from: a Dockerfile of this repository and its build arguments. */
export interface ComposeBuild {
  readonly dockerfile: string;
  readonly args: Readonly<Record<string, string>>;
}

export interface ComposeConfig {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes: Readonly<Record<string, unknown>>;
  buildOf(service: string): ComposeBuild;
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
 * The resolved configuration in a fresh clone of this working tree, with `dotenv` as its `.env`
 * or, when undefined, none (as after `git clone`). Neither a developer's own `.env` nor a shell
 * variable plays a part.
 */
export async function composeConfig(dotenv?: string): Promise<ComposeConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'hotrepos-compose-'));
  try {
    await copyCheckout(dir);
    if (dotenv !== undefined) await writeFile(join(dir, '.env'), dotenv);
    const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: dir, env: { PATH: process.env['PATH'] } });
    const config = parse(stdout) as Omit<ComposeConfig, 'buildOf'>;
    return {
      ...config,
      buildOf(service) {
        const build = config.services[service]?.build;
        if (!build) throw new Error(`service ${service} has no build`);
        return { dockerfile: join(repoRoot, relative(dir, build.context), build.dockerfile), args: build.args ?? {} };
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Copies what a clone would hold: the files git tracks or would track, as they are now, and nothing it ignores (`.env`). */
async function copyCheckout(dir: string): Promise<void> {
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, maxBuffer: 16 << 20 });
  // Files deleted in the working tree stay in the index until the deletion is committed; a clone made then would lack them.
  const deleted = await run('git', ['ls-files', '-z', '--deleted'], { cwd: repoRoot, maxBuffer: 16 << 20 });
  const gone = new Set(deleted.stdout.split('\0'));
  const files = listed.stdout.split('\0').filter((file) => file !== '' && !gone.has(file));
  await Promise.all(files.map((file) => cp(join(repoRoot, file), join(dir, file))));
}

export interface Dockerfile {
  /** Every stage's base image, in order. */
  readonly from: readonly string[];
  /** The build stage's esbuild command, and the folder of this repository it runs in. */
  readonly esbuild: { readonly command: readonly string[]; readonly cwd: string };
  /** `ENV` of the final stage: what the container starts with besides Compose's environment. */
  readonly runtimeEnv: Readonly<Record<string, string>>;
  readonly user: string | undefined;
  readonly cmd: readonly string[];
}

/** A Dockerfile as `docker build` with these build arguments would run it. */
export async function readDockerfile(path: string, args: Readonly<Record<string, string>>): Promise<Dockerfile> {
  const lines = (await readFile(path, 'utf8')).split('\n').map((l) => l.trim());
  const stages = lines.flatMap((line, index) => (line.startsWith('FROM ') ? [index] : []));
  const runtime = lines.slice(stages.at(-1));
  return {
    from: stages.map((index) => lines[index]!.split(/\s+/)[1]!),
    esbuild: esbuildStep(lines.slice(0, stages.at(-1)), args),
    runtimeEnv: Object.fromEntries(runtime.filter((l) => l.startsWith('ENV ')).map((l) => l.slice('ENV '.length).split('=', 2) as [string, string])),
    user: runtime.find((l) => l.startsWith('USER '))?.slice('USER '.length),
    cmd: execForm('CMD', runtime.find((l) => l.startsWith('CMD ['))),
  };
}

/**
 * The esbuild step of the build stage and the WORKDIR it runs in, as a folder of this repository:
 * the build stage copies the repository (`COPY . .`) to the WORKDIR in force at that line.
 */
function esbuildStep(build: readonly string[], args: Readonly<Record<string, string>>): Dockerfile['esbuild'] {
  // WORKDIR expands build arguments as Docker does; an unknown one would be a build that cannot work.
  const expand = (text: string) =>
    text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced?: string, bare?: string) => {
      const name = (braced ?? bare)!;
      const value = args[name];
      if (value === undefined) throw new Error(`the Dockerfile uses build argument ${name}, which is not given`);
      return value;
    });
  let workdir = '/';
  let copiedTo: string | undefined;
  for (const line of build) {
    if (line.startsWith('WORKDIR ')) workdir = posix.resolve(workdir, expand(line.slice('WORKDIR '.length)));
    else if (line === 'COPY . .') copiedTo = workdir;
    else if (line.startsWith('RUN [') && line.includes('esbuild')) {
      if (copiedTo === undefined) throw new Error('the Dockerfile runs esbuild before it copies the repository');
      return { command: execForm('RUN', line), cwd: join(repoRoot, posix.relative(copiedTo, workdir)) };
    }
  }
  throw new Error('the Dockerfile has no esbuild step');
}

function execForm(keyword: string, line: string | undefined): string[] {
  return line ? (JSON.parse(line.slice(keyword.length)) as string[]) : [];
}

/** Runs a Dockerfile's esbuild command here, writing the bundle to `outfile` instead of the image's path. */
export async function bundle(dockerfile: Dockerfile, outfile: string): Promise<void> {
  const [bin, ...args] = dockerfile.esbuild.command;
  if (!bin) throw new Error('the Dockerfile has an empty esbuild step');
  const placed = args.map((arg) => (arg.startsWith('--outfile=') ? `--outfile=${outfile}` : arg));
  const { cwd } = dockerfile.esbuild;
  await run(join(cwd, bin), [...placed, '--log-level=warning'], { cwd });
}
