import { parseArgs } from 'node:util';
import { ProblemError } from '@pricebook/client';
import { cliApi, clientConfig, defaultApiUrl, refusal } from './client';
import type { Command, Values } from './command';
import { changesetsCommand } from './commands/changesets';
import { conflictsCommand } from './commands/conflicts';
import { logsCommand } from './commands/logs';
import { mcpCommand } from './commands/mcp';
import { proposalsCommand } from './commands/proposals';
import { rejectionsCommand } from './commands/rejections';
import { schedulerCommand } from './commands/scheduler';
import { searchCommand } from './commands/search';
import { statusCommand } from './commands/status';
import { syncCommand } from './commands/sync';
import { tenantsCommand } from './commands/tenants';
import { webhooksCommand } from './commands/webhooks';
import { CliError, type ExitCode, exitCodes, usageError } from './errors';
import type { Io } from './io';

const commands: readonly Command[] = [
  syncCommand,
  statusCommand,
  logsCommand,
  conflictsCommand,
  changesetsCommand,
  proposalsCommand,
  rejectionsCommand,
  searchCommand,
  schedulerCommand,
  tenantsCommand,
  webhooksCommand,
  mcpCommand,
];

const globalOptions = {
  json: { type: 'boolean' },
  tenant: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The top-level help text. */
export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `pricebook: operate the Pricebook Sync Engine from a terminal.

Usage: pricebook <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Global options:
  --json         machine-readable output on stdout
  --tenant <id>  the ServiceTitan tenant the command is about (sent as Pricebook-Tenant)
  -h, --help     help (also: pricebook <command> --help)

Environment:
  PRICEBOOK_API_URL   the API (default ${defaultApiUrl})
  PRICEBOOK_API_KEY   an API key (viewer to read; operator to sync, resolve, control the scheduler)
  PRICEBOOK_TENANT    the tenant when --tenant is not given (unset: the API's default tenant)

Exit codes: 0 ok, 1 failed (or the sync failed), 2 usage error, 3 API unreachable or key refused.`;
}

function parse(command: Command, args: string[]): { values: Values; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args,
      options: { ...globalOptions, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (error) {
    // parseArgs reports an unknown option or a missing value as a TypeError with a clear message.
    throw usageError(error instanceof Error ? error.message : String(error), command.name);
  }
}

/** `--tenant <id>` (or `--tenant=<id>`) given before the command, moved after it. */
function leadingTenant(argv: string[]): string[] {
  const [first, second, ...rest] = argv;
  if (first === '--tenant' && second !== undefined)
    return [...rest.slice(0, 1), first, second, ...rest.slice(1)];
  if (first?.startsWith('--tenant=')) return [...argv.slice(1, 2), first, ...argv.slice(2)];
  return argv;
}

async function dispatch(argv: string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = leadingTenant(argv);
  if (name === undefined) {
    io.err(mainHelp());
    return exitCodes.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.out(topic ? topic.help : mainHelp());
    return exitCodes.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw usageError(`unknown command "${name}"`);
  const { values, positionals } = parse(command, rest);
  if (values.help === true) {
    io.out(command.help);
    return exitCodes.ok;
  }
  const tenant = typeof values.tenant === 'string' ? values.tenant : undefined;
  const config = clientConfig(io.env, tenant);
  try {
    return await command.run({
      io,
      api: cliApi(config),
      config,
      json: values.json === true,
      values,
      positionals,
    });
  } catch (error) {
    throw error instanceof ProblemError ? refusal(error, config) : error;
  }
}

/**
 * Runs one `pricebook` command line and returns its exit code; every failure is printed as one
 * line on stderr (`pricebook: …`), never as a stack trace.
 *
 * @example
 * process.exitCode = await run(['sync', 'full', '--wait'], processIo());
 */
export async function run(argv: string[], io: Io): Promise<ExitCode> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`pricebook: ${error.message}`);
      return error.exitCode;
    }
    io.err(`pricebook: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.failure;
  }
}
