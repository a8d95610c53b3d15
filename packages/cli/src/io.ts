/** Where a command writes: `out` for results (stdout), `err` for progress and errors (stderr). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Raw writes to stderr, for redrawing the progress bar in place. */
  errRaw(text: string): void;
  /** Whether stderr is a terminal (a progress bar, not lines). */
  errIsTty: boolean;
  /** The terminal's width, for the bar. */
  columns: number;
  env: Record<string, string | undefined>;
}

/**
 * The process's own streams.
 *
 * @example
 * const code = await run(process.argv.slice(2), processIo());
 */
export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    errRaw: (text) => process.stderr.write(text),
    errIsTty: process.stderr.isTTY === true,
    columns: process.stderr.columns ?? 80,
    env: process.env,
  };
}
