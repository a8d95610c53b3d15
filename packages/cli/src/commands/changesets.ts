import { unwrap } from '@pricebook/client';
import { ChangeSetKind, EntityType } from '@pricebook/contracts';
import { type Command, type CommandContext, oneOf, text } from '../command';
import { type ExitCode, exitCodes, usageError } from '../errors';
import { json, table, when } from '../format';

const help = `List and show change-sets (the changes one sync, edit, bulk edit, inbound batch,
resolution or revert made together), and revert one.

Usage:
  pricebook changesets list [--kind <kind>] [--actor <who>] [--entity <type>] [--since <iso>] [--until <iso>] [--json]
  pricebook changesets show <id> [--json]
  pricebook changesets revert <id> [--dry-run] [--json]

Options:
  --kind <kind>     ${ChangeSetKind.options.join(', ')}
  --actor <who>     exactly this actor (e.g. api:operator:3f9a0c1b2d4e)
  --entity <type>   only change-sets that changed rows of this entity type
  --since <iso>     made at or after this instant
  --until <iso>     made before this instant
  --dry-run         revert: only print what would be written back and what would be left alone

revert writes the before-values back as local edits (they reach ServiceTitan with the next push);
rows changed since by someone else keep their later value and are listed as skipped. A change-set
is reverted once.

Examples:
  pricebook changesets list --kind bulk_edit --since 2025-12-01T00:00:00Z
  pricebook changesets show e1d2c3b4-a5f6-4e7d-9c8b-0a1f2e3d4c5b
  pricebook changesets revert e1d2c3b4-a5f6-4e7d-9c8b-0a1f2e3d4c5b --dry-run`;

async function listChangeSets(ctx: CommandContext): Promise<ExitCode> {
  const kind = oneOf('changesets', '--kind', text(ctx.values, 'kind'), ChangeSetKind.options);
  const entity = oneOf('changesets', '--entity', text(ctx.values, 'entity'), EntityType.options);
  const actor = text(ctx.values, 'actor');
  const since = text(ctx.values, 'since');
  const until = text(ctx.values, 'until');
  const body = unwrap(
    await ctx.api.GET('/api/changesets', {
      params: {
        query: {
          ...(kind ? { kind } : {}),
          ...(entity ? { entity } : {}),
          ...(actor ? { actor } : {}),
          ...(since ? { since } : {}),
          ...(until ? { until } : {}),
        },
      },
    }),
  );
  if (ctx.json) ctx.io.out(json(body));
  else if (body.changeSets.length === 0) ctx.io.out('no change-sets');
  else
    ctx.io.out(
      table(
        ['ID', 'KIND', 'ACTOR', 'CHANGES', 'ENTITIES', 'CREATED', 'REVERTED BY'],
        body.changeSets.map((s) => [
          s.id,
          s.kind,
          s.actor ?? '',
          s.counts.changes,
          s.entityTypes.join(','),
          when(s.createdAt),
          s.revertedByChangeSetId ?? '',
        ]),
      ),
    );
  return exitCodes.ok;
}

async function show(ctx: CommandContext, id: string): Promise<ExitCode> {
  const body = unwrap(await ctx.api.GET('/api/changesets/{id}', { params: { path: { id } } }));
  if (ctx.json) {
    ctx.io.out(json(body));
    return exitCodes.ok;
  }
  const s = body.changeSet;
  const c = s.counts;
  ctx.io.out(`${s.id}  ${s.kind}  by ${s.actor ?? '?'}  ${when(s.createdAt)}`);
  ctx.io.out(
    `${c.changes} changes to ${c.records} rows: ${c.created} created · ${c.updated} updated · ${c.deleted} deleted · ${c.restored} restored`,
  );
  if (s.revertsChangeSetId) ctx.io.out(`reverts ${s.revertsChangeSetId}`);
  if (s.revertedByChangeSetId) ctx.io.out(`reverted by ${s.revertedByChangeSetId}`);
  if (body.changes.length > 0) {
    const rows = body.changes.map((ch) => [
      ch.entity,
      String(ch.stId ?? ch.recordId),
      ch.operation,
      ch.origin,
      ch.changedFields.join(','),
    ]);
    ctx.io.out(`\n${table(['ENTITY', 'ROW', 'OPERATION', 'ORIGIN', 'FIELDS'], rows)}`);
    if (body.page.nextCursor)
      ctx.io.out(`(first ${body.changes.length} changes; --json and the API page the rest)`);
  }
  return exitCodes.ok;
}

async function revert(ctx: CommandContext, id: string): Promise<ExitCode> {
  // The API's default is a dry run; the CLI's verb reverts unless --dry-run says otherwise.
  const dryRun = ctx.values['dry-run'] === true;
  const body = unwrap(
    await ctx.api.POST('/api/changesets/{id}/revert', { params: { path: { id } }, body: { dryRun } }),
  );
  if (ctx.json) {
    ctx.io.out(json(body));
    return exitCodes.ok;
  }
  const verb = dryRun ? 'would write back' : 'wrote back';
  ctx.io.out(
    `${dryRun ? 'dry run: ' : ''}${verb} ${body.reverted.length} rows of ${id}` +
      (body.changeSetId ? ` as change-set ${body.changeSetId}` : ''),
  );
  if (body.reverted.length > 0) {
    const rows = body.reverted.map((r) => [
      r.entity,
      String(r.stId ?? r.recordId),
      r.action,
      r.fields.join(','),
    ]);
    ctx.io.out(`\n${table(['ENTITY', 'ROW', 'ACTION', 'FIELDS'], rows)}`);
  }
  if (body.skipped.length > 0) {
    ctx.io.out(`\nskipped ${body.skipped.length}:`);
    const rows = body.skipped.map((r) => [r.entity, String(r.stId ?? r.recordId), r.reason, r.message]);
    ctx.io.out(table(['ENTITY', 'ROW', 'REASON', 'WHY'], rows));
  }
  if (!dryRun) ctx.io.out('\nthe rows are pending: the next push sends them to ServiceTitan');
  return exitCodes.ok;
}

/** `pricebook changesets list|show|revert`: what was changed together, and undoing it. */
export const changesetsCommand: Command = {
  name: 'changesets',
  summary: 'list, show and revert change-sets',
  help,
  options: {
    kind: { type: 'string' },
    actor: { type: 'string' },
    entity: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(ctx) {
    const [action, id, ...extra] = ctx.positionals;
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`, 'changesets');
    if (action === 'list') {
      if (id !== undefined) throw usageError(`unexpected argument "${id}"`, 'changesets');
      return listChangeSets(ctx);
    }
    if (action !== 'show' && action !== 'revert') {
      throw usageError(
        action ? `unknown changesets action "${action}"` : 'changesets needs list, show or revert',
        'changesets',
      );
    }
    if (!id) throw usageError(`changesets ${action} needs a change-set id`, 'changesets');
    return action === 'show' ? show(ctx, id) : revert(ctx, id);
  },
};
