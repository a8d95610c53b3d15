/** The exit codes of `pricebook`, as documented in `docs/cli.md`. */
export const exitCodes = {
  ok: 0,
  /** The command failed: the API refused it, or the sync it waited for failed. */
  failure: 1,
  /** The command line is wrong (or the API found the options invalid). */
  usage: 2,
  /** The API could not be reached, or did not accept the key. */
  unreachable: 3,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
 * An error that ends the command with a message (one line) and an exit code.
 *
 * @example
 * throw new CliError('unknown command: syncc', exitCodes.usage);
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/**
 * A usage error (exit 2), with the hint of where to read more.
 *
 * @example
 * throw usageError('--limit must be a number from 1 to 100', 'logs');
 */
export function usageError(message: string, command?: string): CliError {
  const hint = command ? `pricebook ${command} --help` : 'pricebook --help';
  return new CliError(`${message} (see \`${hint}\`)`, exitCodes.usage);
}
