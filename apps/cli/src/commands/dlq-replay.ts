/**
 * `hotrepos dlq replay <subject> (--seq <n> | --all)`: puts dead letters back on their original
 * subject, exactly as they were first published, and removes them from the `DLQ` stream.
 * Every consumer of the subject sees a replay, not only the one that gave up on the message.
 */
import { subjectMatches } from '@hotrepos/contracts';
import { withTransport } from '../connect.js';
import { DeadLetterQueue, dlqFilter, type DeadLetterEntry, type ReplayedEntry } from '../dead-letters.js';
import { NotFoundError, UsageError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { printJson, type CommonOptions, type Io } from '../io.js';
import { runCommand } from '../run-command.js';

export interface DlqReplayOptions extends CommonOptions {
  /** The original subject (wildcards allowed). */
  readonly subject: string;
  readonly seq?: number;
  readonly all?: boolean;
}

export function dlqReplayCommand(opts: DlqReplayOptions, io: Io): Promise<ExitCode> {
  return runCommand(io, opts.json, async () => {
    // Replaying everything must be asked for by name, never be what a forgotten --seq does.
    if ((opts.seq === undefined) === !opts.all) throw new UsageError('dlq replay: give either --seq <n> or --all');
    const filter = dlqFilter(opts.subject);
    return withTransport(opts.nats, async (transport) => {
      const queue = await DeadLetterQueue.open(transport);
      const entries = opts.seq === undefined ? (await queue.list(filter, Infinity)).entries : [await one(queue, filter, opts.seq)];
      const replayed: ReplayedEntry[] = [];
      const skipped: DeadLetterEntry[] = [];
      for (const entry of entries) {
        if (!entry.letter) {
          skipped.push(entry);
          if (!opts.json) io.err(`skipped #${entry.seq} on ${entry.dlqSubject}: ${entry.problem}\n`);
          continue;
        }
        const done = await queue.replay(entry.seq, entry.letter);
        replayed.push(done);
        if (!opts.json) io.out(`replayed #${done.seq} to ${done.subject} (${done.stream} seq ${done.streamSeq}${done.duplicate ? ', stored by an earlier replay' : ''})\n`);
      }
      if (opts.json) printJson(io, { replayed, skipped: skipped.map(({ seq, dlqSubject, problem }) => ({ seq, dlqSubject, problem })) });
      else if (entries.length === 0) io.err(`no dead letters on ${filter}\n`);
      return skipped.length > 0 ? ExitCode.Failed : ExitCode.Ok;
    });
  });
}

async function one(queue: DeadLetterQueue, filter: string, seq: number): Promise<DeadLetterEntry> {
  const entry = await queue.get(seq);
  if (!entry || !subjectMatches(filter, entry.dlqSubject)) throw new NotFoundError(`no dead letter #${seq} on ${filter}`);
  return entry;
}
