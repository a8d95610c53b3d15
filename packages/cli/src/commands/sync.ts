import { type SyncRequest, unwrap } from '@pricebook/client';
import { ConflictStrategy, entityTypes, SyncDirection } from '@pricebook/contracts';
import { type Command, type CommandContext, list, oneOf, text } from '../command';
import { exitCodes, usageError } from '../errors';
import { followSync } from '../follow';
import { duration, entityStatsTable, json, statsLine } from '../format';
import { progressReporter } from '../progress-bar';

const help = `Start a sync.

Usage: pricebook sync full|incremental [options]

Options:
  --entity <e>          only this entity (repeatable): ${entityTypes.join(', ')}; default all
  --direction <d>       ${SyncDirection.options.join(', ')} (default from_st)
  --resolve <s>         conflict strategy: ${ConflictStrategy.options.join(', ')} (default manual)
  --dry-run             compute the whole plan, change nothing
  --allow-mass-delete   let a full sync delete more than the configured share of an entity
  --allow-mass-change   let the push send more or larger price changes or deletions than the brake allows
  --wait                follow the sync to its end: a live bar on a terminal, lines otherwise;
                        exit 1 if the sync fails
  --json                machine-readable output

Examples:
  pricebook sync full --wait
  pricebook sync incremental --entity materials --entity services --dry-run --wait
  pricebook sync full --entity categories --resolve keep_st --json`;

function body(ctx: CommandContext): SyncRequest {
  const { values } = ctx;
  const entities = list(values, 'entity').flatMap((e) => oneOf('sync', '--entity', e, entityTypes) ?? []);
  if (new Set(entities).size !== entities.length) throw usageError('--entity names an entity twice', 'sync');
  return {
    ...(entities.length > 0 ? { entityTypes: entities } : {}),
    direction: oneOf('sync', '--direction', text(values, 'direction'), SyncDirection.options),
    resolveConflicts: oneOf('sync', '--resolve', text(values, 'resolve'), ConflictStrategy.options),
    ...(values['dry-run'] === true ? { dryRun: true } : {}),
    ...(values['allow-mass-delete'] === true ? { allowMassDelete: true } : {}),
    ...(values['allow-mass-change'] === true ? { allowMassChange: true } : {}),
  };
}

/** `pricebook sync full|incremental`: starts a sync, and with `--wait` follows it to its end. */
export const syncCommand: Command = {
  name: 'sync',
  summary: 'start a full or incremental sync (--wait to follow it)',
  help,
  options: {
    entity: { type: 'string', multiple: true },
    direction: { type: 'string' },
    resolve: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'allow-mass-delete': { type: 'boolean' },
    'allow-mass-change': { type: 'boolean' },
    wait: { type: 'boolean' },
  },
  async run(ctx) {
    const [kind, ...extra] = ctx.positionals;
    if (kind !== 'full' && kind !== 'incremental') {
      throw usageError(
        kind ? `unknown sync kind "${kind}"; use full or incremental` : 'sync needs full or incremental',
        'sync',
      );
    }
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`, 'sync');
    const accepted = unwrap(
      kind === 'full'
        ? await ctx.api.POST('/api/sync/pricebook/full', { body: body(ctx) })
        : await ctx.api.POST('/api/sync/pricebook/incremental', { body: body(ctx) }),
    );
    if (ctx.values.wait !== true) {
      ctx.io.out(ctx.json ? json(accepted) : `sync ${accepted.syncLogId} ${accepted.status} (${kind})`);
      return exitCodes.ok;
    }
    if (!ctx.json) ctx.io.err(`sync ${accepted.syncLogId} ${accepted.status} (${kind}); following it…`);
    const reporter = ctx.json ? undefined : progressReporter(ctx.io);
    let final: Awaited<ReturnType<typeof followSync>>;
    try {
      final = await followSync(ctx.api, accepted.syncLogId, (p) => reporter?.update(p));
    } finally {
      reporter?.stop();
    }
    const ok = final.status === 'completed';
    if (ctx.json) {
      ctx.io.out(json({ success: ok, ...final }));
    } else {
      const dry = final.dryRun ? ' (dry run: nothing changed)' : '';
      ctx.io.out(`sync ${final.syncLogId} ${final.status} in ${duration(final.durationMs)}${dry}`);
      ctx.io.out(statsLine(final.stats));
      if (Object.keys(final.entityStats).length > 1) ctx.io.out(`\n${entityStatsTable(final.entityStats)}`);
      if (!ok) ctx.io.err(`error: ${final.errorMessage ?? `the sync was ${final.status}`}`);
    }
    return ok ? exitCodes.ok : exitCodes.failure;
  },
};
