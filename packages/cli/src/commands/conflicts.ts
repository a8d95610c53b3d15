import { type ResolveRequest, unwrap } from '@pricebook/client';
import { ResolveStrategy } from '@pricebook/contracts';
import { type Command, type CommandContext, list, oneOf, text } from '../command';
import { type ExitCode, exitCodes, usageError } from '../errors';
import { json, table, when } from '../format';

// The strategies of a resolution (the API's `ResolveRequest`): `merge` picks a side per field;
// `manual` settles nothing and records who looked at the conflict.
const strategies = ResolveStrategy.options;

const help = `List, show and resolve sync conflicts.

Usage:
  pricebook conflicts list [--json]
  pricebook conflicts show <id> [--json]
  pricebook conflicts resolve <id> --strategy keep_st|keep_local|merge|manual [--field name=st|local ...]
                   [--note <text>] --by <who>

Options:
  --strategy <s>   keep_st, keep_local, merge (with --field), or manual (leave it open for a person)
  --field f=side   for merge: which side wins field f, st or local (repeatable)
  --note <text>    for manual: a note for whoever settles the conflict
  --by <who>       who resolved it (or looked at it), recorded with it (e.g. an e-mail address)

Examples:
  pricebook conflicts list
  pricebook conflicts show 0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d
  pricebook conflicts resolve 0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d --strategy keep_st --by ops@example.com
  pricebook conflicts resolve 0b6d3c1e-… --strategy merge --field price=st --field description=local --by ops@example.com
  pricebook conflicts resolve 0b6d3c1e-… --strategy manual --note "ask the vendor" --by ops@example.com`;

function fieldChoices(values: string[]): Record<string, 'st' | 'local'> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, 'st' | 'local'> = {};
  for (const v of values) {
    const match = /^([^=\s]+)=(st|local)$/.exec(v);
    if (!match?.[1] || !match[2])
      throw usageError(`--field must look like name=st or name=local; got "${v}"`, 'conflicts');
    out[match[1]] = match[2] === 'st' ? 'st' : 'local';
  }
  return out;
}

async function resolve(ctx: CommandContext, id: string): Promise<ExitCode> {
  const strategy = oneOf('conflicts', '--strategy', text(ctx.values, 'strategy'), strategies);
  const by = text(ctx.values, 'by');
  if (!strategy) throw usageError('resolve needs --strategy', 'conflicts');
  if (!by) throw usageError('resolve needs --by <who>', 'conflicts');
  const fields = fieldChoices(list(ctx.values, 'field'));
  if (strategy === 'merge' && !fields)
    throw usageError('--strategy merge needs at least one --field', 'conflicts');
  const note = text(ctx.values, 'note');
  if (note !== undefined && strategy !== 'manual')
    throw usageError('--note goes with --strategy manual', 'conflicts');
  const request: ResolveRequest = {
    strategy,
    resolvedBy: by,
    ...(fields ? { fields } : {}),
    ...(note !== undefined ? { note } : {}),
  };
  const result = unwrap(
    await ctx.api.POST('/api/sync/pricebook/resolve-conflict/{id}', {
      params: { path: { id } },
      body: request,
    }),
  );
  if (ctx.json) ctx.io.out(json(result));
  else {
    const outcome = strategy === 'manual' ? 'left open' : result.status;
    ctx.io.out(`conflict ${id} ${outcome} (${strategy}, by ${by})`);
    if (result.supersededBy) ctx.io.out(`the sides still disagree: new conflict ${result.supersededBy}`);
  }
  // `superseded` (the record moved meanwhile) and `pending` are not the resolution that was asked for.
  return result.success ? exitCodes.ok : exitCodes.failure;
}

const cell = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

/** `pricebook conflicts list|show|resolve`: the conflicts a person has to settle. */
export const conflictsCommand: Command = {
  name: 'conflicts',
  summary: 'list, show and resolve conflicts',
  help,
  options: {
    strategy: { type: 'string' },
    field: { type: 'string', multiple: true },
    note: { type: 'string' },
    by: { type: 'string' },
  },
  async run(ctx) {
    const [action, id, ...extra] = ctx.positionals;
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`, 'conflicts');
    if (action === 'list') {
      if (id !== undefined) throw usageError(`unexpected argument "${id}"`, 'conflicts');
      const body = unwrap(await ctx.api.GET('/api/sync/pricebook/conflicts'));
      const rows = body.conflicts;
      if (ctx.json) ctx.io.out(json(body));
      else if (rows.length === 0) ctx.io.out('no unresolved conflicts');
      else
        ctx.io.out(
          table(
            ['ID', 'ENTITY', 'ST ID', 'TYPE', 'CREATED'],
            rows.map((c) => [c.id, c.entityType, String(c.stId ?? ''), c.conflictType, when(c.createdAt)]),
          ),
        );
      return exitCodes.ok;
    }
    if (action !== 'show' && action !== 'resolve') {
      throw usageError(
        action ? `unknown conflicts action "${action}"` : 'conflicts needs list, show or resolve',
        'conflicts',
      );
    }
    if (!id) throw usageError(`conflicts ${action} needs a conflict id`, 'conflicts');
    if (action === 'resolve') return resolve(ctx, id);
    const body = unwrap(
      await ctx.api.GET('/api/sync/pricebook/conflicts/{id}', { params: { path: { id } } }),
    );
    const c = body.conflict;
    if (ctx.json) {
      ctx.io.out(json(body));
      return exitCodes.ok;
    }
    ctx.io.out(`${c.id}  ${c.entityType} ST ${c.stId ?? '?'}  ${c.conflictType}  ${c.status}`);
    ctx.io.out(`created ${when(c.createdAt)}, local record ${c.recordId}`);
    if (c.reviewedBy)
      ctx.io.out(
        `looked at by ${c.reviewedBy} ${when(c.reviewedAt)}${c.reviewNote ? `: ${c.reviewNote}` : ''}`,
      );
    if (c.fieldDiff) {
      const rows = Object.entries(c.fieldDiff).map(([f, d]) => [f, cell(d.base), cell(d.st), cell(d.local)]);
      ctx.io.out(`\n${table(['FIELD', 'BASE', 'ST', 'LOCAL'], rows)}`);
    }
    return exitCodes.ok;
  },
};
