import type { Readable, Writable } from 'node:stream';

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
  /** All of stdin, for secrets piped in rather than typed into the command line. */
  readStdin(): Promise<string>;
  /** The raw streams, for `pricebook mcp`, which speaks MCP over them (absent in tests that only record lines). */
  stdio?: { stdin: Readable; stdout: Writable };
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
    stdio: { stdin: process.stdin, stdout: process.stdout },
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
