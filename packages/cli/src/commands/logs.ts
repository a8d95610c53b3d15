import { unwrap } from '@pricebook/client';
import { type Command, text } from '../command';
import { exitCodes, usageError } from '../errors';
import { duration, entityStatsTable, json, statsLine, table, when } from '../format';

const help = `Show the sync history, or one sync in detail.

Usage: pricebook logs [id] [--limit n] [--json]

Options:
  --limit <n>   how many syncs to list, 1-100 (default 20)

Examples:
  pricebook logs --limit 5
  pricebook logs 6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a
  pricebook logs --json | jq '.logs[] | select(.status == "failed") | .id'`;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `pricebook logs [id]`: the history (`GET /logs`) or one sync (`GET /logs/{id}`). */
export const logsCommand: Command = {
  name: 'logs',
  summary: 'sync history, or one sync with its counters and quarantined records',
  help,
  options: { limit: { type: 'string' } },
  async run(ctx) {
    const [id, ...extra] = ctx.positionals;
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`, 'logs');
    if (id !== undefined) {
      if (!uuid.test(id)) throw usageError(`"${id}" is not a sync log id (a UUID)`, 'logs');
      const d = unwrap(await ctx.api.GET('/api/sync/pricebook/logs/{id}', { params: { path: { id } } }));
      if (ctx.json) {
        ctx.io.out(json(d));
        return exitCodes.ok;
      }
      const l = d.log;
      ctx.io.out(`${l.id}  ${l.syncType} ${l.direction} ${l.status}${l.dryRun ? ' (dry run)' : ''}`);
      ctx.io.out(`created ${when(l.createdAt)} by ${l.triggeredBy ?? '—'}, took ${duration(l.durationMs)}`);
      ctx.io.out(statsLine(l.stats));
      if (l.errorMessage) ctx.io.out(`error: ${l.errorMessage}`);
      if (Object.keys(l.entityStats).length > 0) ctx.io.out(`\n${entityStatsTable(l.entityStats)}`);
      if (d.errors.total > 0) {
        ctx.io.out(`\n${d.errors.total} quarantined record(s):`);
        for (const e of d.errors.items) ctx.io.out(`  ${e.entityType} ${e.stId ?? '?'}: ${e.reason}`);
      }
      if (d.plan) ctx.io.out(`\nplan: ${d.plan.total} entries (see --json, or the API's planCursor)`);
      return exitCodes.ok;
    }
    const limit = text(ctx.values, 'limit') ?? '20';
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 100) {
      throw usageError('--limit must be a whole number from 1 to 100', 'logs');
    }
    const page = unwrap(
      await ctx.api.GET('/api/sync/pricebook/logs', { params: { query: { limit: Number(limit) } } }),
    );
    if (ctx.json) {
      ctx.io.out(json(page));
      return exitCodes.ok;
    }
    if (page.logs.length === 0) {
      ctx.io.out('no syncs yet');
      return exitCodes.ok;
    }
    ctx.io.out(
      table(
        ['ID', 'TYPE', 'STATUS', 'CREATED', 'DURATION', 'FETCHED', 'CREATED', 'UPDATED', 'DELETED', 'ERRORS'],
        page.logs.map((l) => [
          l.id,
          `${l.syncType}${l.dryRun ? ' (dry)' : ''}`,
          l.status,
          when(l.createdAt),
          duration(l.durationMs),
          l.recordsFetched,
          l.recordsCreated,
          l.recordsUpdated,
          l.recordsDeleted,
          l.errors,
        ]),
      ),
    );
    return exitCodes.ok;
  },
};
