/**
 * The `hotrepos` command line: commander parses, the command modules do the work. Kept apart from
 * `main.ts` so tests run the real parsing in process, with their own output and environment.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { dlqListCommand } from './commands/dlq-list.js';
import { dlqReplayCommand } from './commands/dlq-replay.js';
import { DEFAULT_REPORT_TIMEOUT, reportCommand, type ReportOptions } from './commands/report.js';
import { schedulesCommand } from './commands/schedules.js';
import { statusCommand } from './commands/status.js';
import { ExitCode } from './exit-codes.js';
import type { CommonOptions, Io } from './io.js';
import { DEFAULT_NATS_URL, redactNatsUrl } from './nats-url.js';

export interface CliEnv {
  readonly NATS_URL?: string;
  readonly SCHEDULES?: string;
  /** Where `npm run` was started; npm runs scripts in the package's folder, but `--out` means the caller's. */
  readonly INIT_CWD?: string;
}

const EXIT_CODES = `
Exit codes: 0 ok, 1 report failed (or another error), 2 usage or validation error, 3 not found,
4 NATS unreachable, 5 timed out waiting.`;

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return Number(value);
}

/** Parses `argv` (without node and the script) and runs the command; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: Io, env: CliEnv): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const run = (command: Promise<ExitCode>) => command.then((code) => void (exitCode = code));
  const program = new Command('hotrepos')
    .description('Request hot-repos reports, follow them, and look after schedules and dead letters.')
    // Commander would call process.exit itself; the caller decides, and usage errors get exit code 2.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .addHelpText('after', EXIT_CODES);
  // An empty NATS_URL counts as unset, as it does for the services. Help shows it without its secrets.
  const natsDefault = env.NATS_URL ? `NATS_URL=${redactNatsUrl(env.NATS_URL)}` : `NATS_URL, else ${DEFAULT_NATS_URL}`;
  const common = (command: Command) =>
    command
      .addOption(new Option('--nats <url>', 'NATS server, or a comma-separated list').default(env.NATS_URL || DEFAULT_NATS_URL, natsDefault))
      .option('--json', 'machine-readable output on stdout');

  common(program.command('report').description('request a report; prints its reportId'))
    .option('--period <period>', 'day, week or month')
    .option('--date <YYYY-MM-DD>', 'the day the period counts back from (default: today, UTC)')
    .option('--locale <tag>', 'language of the notification mails, e.g. de')
    .option('--notify <address...>', 'who gets a mail when the report is ready or failed')
    .option('--request-id <id>', 'names the report; the same id again follows the same report')
    .option('--wait', 'follow the report until it is ready or failed')
    .option('--out <path>', 'save the CSV to this file or folder (implies --wait)')
    .option('--timeout <duration>', 'how long --wait waits, e.g. 90s, 5m', DEFAULT_REPORT_TIMEOUT)
    .action((opts: ReportOptions) => run(reportCommand({ ...opts, ...(opts.out ? { out: resolve(env.INIT_CWD ?? process.cwd(), opts.out) } : {}) }, io)));

  common(program.command('status').description('the current status of a report').argument('<reportId>')).action((reportId: string, opts: CommonOptions) =>
    run(statusCommand({ ...opts, reportId }, io)),
  );

  common(program.command('schedules').description("the scheduler's schedules: last tick and next runs (next runs from SCHEDULES)")).action((opts: CommonOptions) =>
    run(schedulesCommand({ ...opts, schedules: env.SCHEDULES }, io)),
  );

  const dlq = program.command('dlq').description('dead letters: list and replay');
  common(dlq.command('list').description('list dead letters, oldest first').argument('[subject]', 'original subject, e.g. reports.request; wildcards allowed'))
    .option('--limit <n>', 'show at most n', positiveInt)
    .action((subject: string | undefined, opts: CommonOptions & { limit?: number }) => run(dlqListCommand({ ...opts, ...(subject ? { subject } : {}) }, io)));
  common(dlq.command('replay').description('republish dead letters on their original subject and remove them from the DLQ').argument('<subject>', 'original subject'))
    .option('--seq <n>', 'the dead letter with this DLQ sequence (see dlq list)', positiveInt)
    .option('--all', 'every dead letter of the subject')
    .action((subject: string, opts: CommonOptions & { seq?: number; all?: boolean }) => run(dlqReplayCommand({ ...opts, subject }, io)));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // Help and version exit 0; every other commander error is a usage error it has already printed.
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    throw err;
  }
  return exitCode;
}
