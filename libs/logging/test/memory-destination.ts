/** A pino destination that keeps what was written, so tests read real output lines. */
export interface MemoryDestination {
  write(line: string): void;
  readonly text: string[];
  /** Every line parsed as JSON. */
  records(): Record<string, unknown>[];
}

export function memoryDestination(): MemoryDestination {
  const text: string[] = [];
  return {
    text,
    write: (line) => void text.push(line),
    records: () => text.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
