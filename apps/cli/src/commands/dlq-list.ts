/** `hotrepos dlq list [subject]`: dead letters in the `DLQ` stream, oldest first. */
import { withTransport } from '../connect.js';
import { DeadLetterQueue, dlqFilter, type DeadLetterEntry } from '../dead-letters.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, type CommonOptions, type Io } from '../io.js';
import { runCommand } from '../run-command.js';

export interface DlqListOptions extends CommonOptions {
  /** The original subject (`reports.request`, wildcards allowed); all dead letters without one. */
  readonly subject?: string;
  readonly limit?: number;
}

export const DEFAULT_DLQ_LIMIT = 100;

export function dlqListCommand(opts: DlqListOptions, io: Io): Promise<ExitCode> {
  return runCommand(io, opts.json, () =>
    withTransport(opts.nats, async (transport) => {
      const filter = dlqFilter(opts.subject);
      const { total, entries } = await (await DeadLetterQueue.open(transport)).list(filter, opts.limit ?? DEFAULT_DLQ_LIMIT);
      if (opts.json) {
        printJson(io, { total, deadLetters: entries.map(({ seq, dlqSubject, letter, problem }) => ({ seq, dlqSubject, ...letter, ...(problem ? { problem } : {}) })) });
        return ExitCode.Ok;
      }
      if (total === 0) io.err(`no dead letters on ${filter}\n`);
      io.out(entries.map(formatEntry).join(''));
      if (total > entries.length) io.err(`${total - entries.length} more on ${filter}; raise --limit to see them\n`);
      return ExitCode.Ok;
    }),
  );
}

function formatEntry({ seq, dlqSubject, letter, problem }: DeadLetterEntry): string {
  if (!letter) return `#${seq} ${dlqSubject}\n  ${problem}\n`;
  const { subject, reason, error, deadAt, deliveries } = letter;
  return `#${seq} ${subject}  ${reason}  dead at ${deadAt}  after ${deliveries} ${deliveries === 1 ? 'delivery' : 'deliveries'}\n  ${error}\n`;
}
