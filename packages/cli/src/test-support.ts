import type { Io } from './io';

/**
 * An `Io` that keeps what a command writes, for tests: its lines in `stdout` and `stderr`, the
 * environment pointing at `url` with a test key (plus `env`), and `stdin` as what was piped in.
 *
 * @example
 * const out = recordingIo(url);
 * await run(['status'], out);
 * out.stdout; // ['…']
 */
export function recordingIo(
  url: string,
  env: Record<string, string> = {},
  stdin = '',
): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    errRaw: (t) => stderr.push(t),
    errIsTty: false,
    columns: 80,
    env: { PRICEBOOK_API_URL: url, PRICEBOOK_API_KEY: 'test-key', ...env },
    readStdin: async () => stdin,
  };
}
