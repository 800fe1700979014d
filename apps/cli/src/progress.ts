/**
 * How `report --wait` shows progress: a bar when a person watches a terminal, one line per change
 * otherwise (CI logs, pipes), nothing with `--json`, whose output is only the final object. Notes
 * (NATS went away, nothing picked the request up) go to stderr in every mode: they are for a
 * person, and stdout stays what a script reads.
 */
import type { ReportStatus } from '@hotrepos/contracts';
// cli-progress is CommonJS; its named exports are not visible to ESM, its default export is.
import cliProgress from 'cli-progress';
import type { Io } from './io.js';

export interface Progress {
  update(status: ReportStatus): void;
  /** A line for the person waiting, between progress updates. */
  note(line: string): void;
  stop(): void;
}

export function reportProgress(io: Io, json: boolean | undefined): Progress {
  if (json) return { update: () => undefined, note: (line) => io.err(`${line}\n`), stop: () => undefined };
  return io.tty ? barProgress(io.tty) : lineProgress(io);
}

function lineProgress(io: Io): Progress {
  let last = '';
  return {
    update(status) {
      const line = describeProgress(status);
      // A watch may repeat a snapshot (a write that changed only updatedAt); a log needs each step once.
      if (line !== last) io.err(`${line}\n`);
      last = line;
    },
    note: (line) => io.err(`${line}\n`),
    stop: () => undefined,
  };
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  // Redrawn on every frame, not only on change, so a note written over the bar's line is followed by the bar again.
  const bar = new cliProgress.SingleBar({ stream, format: '{state} |{bar}| {value}/{total} pages', forceRedraw: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update({ state, pagesDone, pagesTotal }) {
      // The total is 0 until the aggregator has planned the fetches.
      if (!started) bar.start(pagesTotal, pagesDone, { state: state.padEnd(11) });
      else bar.setTotal(pagesTotal);
      bar.update(pagesDone, { state: state.padEnd(11) });
      started = true;
    },
    note(line) {
      stream.cursorTo(0);
      stream.clearLine(0);
      stream.write(`${line}\n`);
    },
    stop: () => bar.stop(),
  };
}

export function describeProgress({ state, pagesDone, pagesTotal }: ReportStatus): string {
  return `${state} ${pagesDone}/${pagesTotal} pages`;
}
