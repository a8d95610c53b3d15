import type { ParseArgsConfig } from 'node:util';
import type { PricebookClient } from '@pricebook/client';
import type { ClientConfig } from './client';
import { type ExitCode, usageError } from './errors';
import type { Io } from './io';

/** The option declarations `parseArgs` takes. */
export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The parsed options of one command line. */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** What a command runs with. */
export interface CommandContext {
  io: Io;
  /** The API, through `@pricebook/client` (see `cliApi`). */
  api: PricebookClient;
  /** Where the API is, the key and the tenant (for `pricebook mcp`, which talks MCP to the API). */
  config: ClientConfig;
  /** `--json`: machine-readable output on stdout. */
  json: boolean;
  values: Values;
  positionals: string[];
}

/** One `pricebook <name>` command: its options, help text and behaviour. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  options: OptionsConfig;
  run(ctx: CommandContext): Promise<ExitCode>;
}

/** A string option's value, or undefined. */
export const text = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

/** A repeatable string option's values (empty when not given). */
export const list = (values: Values, name: string): string[] => {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
};

/**
 * The value if it is one of `allowed`, otherwise a usage error naming the choices.
 *
 * @example
 * const direction = oneOf('sync', '--direction', text(values, 'direction'), ['from_st', 'to_st']);
 */
export function oneOf<const T extends string>(
  command: string,
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`${flag} must be one of ${allowed.join(', ')}; got "${value}"`, command);
}
