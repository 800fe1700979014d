/**
 * Where a command writes. Commands get this instead of `process.stdout`, so tests run them in
 * process and read what they printed. Results go to `out` (what a script reads), progress and
 * errors to `err` (for a person), as is usual for a CLI.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** A terminal to draw a progress bar on; undefined when stderr is not a TTY (a pipe, a CI log, a test). */
  readonly tty: NodeJS.WriteStream | undefined;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    tty: process.stderr.isTTY ? process.stderr : undefined,
  };
}

/** The flags every command takes. */
export interface CommonOptions {
  readonly nats: string;
  readonly json?: boolean;
}

export function printJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
