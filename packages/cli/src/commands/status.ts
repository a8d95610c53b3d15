import { unwrap } from '@pricebook/client';
import type { Command } from '../command';
import { exitCodes, usageError } from '../errors';
import { duration, json, table, when } from '../format';

const help = `Show the last sync, syncs in progress, the scheduler and per-entity counts.

Usage: pricebook status [--json]

Examples:
  pricebook status
  pricebook status --json | jq .unresolvedConflicts`;

/** `pricebook status`: the engine at a glance (`GET /status`). */
export const statusCommand: Command = {
  name: 'status',
  summary: 'last sync, running syncs, scheduler, per-entity counts',
  help,
  options: {},
  async run(ctx) {
    if (ctx.positionals.length > 0) throw usageError(`unexpected argument "${ctx.positionals[0]}"`, 'status');
    const s = unwrap(await ctx.api.GET('/api/sync/pricebook/status'));
    if (ctx.json) {
      ctx.io.out(json(s));
      return exitCodes.ok;
    }
    const last = s.lastSync;
    ctx.io.out(
      last
        ? `Last sync:  ${last.syncType} ${last.status} at ${when(last.completedAt)} (${duration(last.durationMs)}, ` +
            `${last.recordsFetched.toLocaleString('en-US')} fetched)  ${last.id}` +
            (last.errorMessage ? `\n            ${last.errorMessage}` : '')
        : 'Last sync:  none yet',
    );
    const running = s.running;
    ctx.io.out(
      running.length === 0
        ? 'Running:    none'
        : running
            .map(
              (r, i) =>
                `${i === 0 ? 'Running:   ' : '           '} ${r.syncType ?? '?'} ${r.status ?? '?'} ${r.entityTypes.join(',')}` +
                `${r.stale ? ' (stale)' : ''}  ${r.syncLogId}`,
            )
            .join('\n'),
    );
    const { isRunning, schedules } = s.scheduler;
    ctx.io.out(
      `Scheduler:  ${isRunning ? 'running' : 'stopped'} (full "${schedules.fullSync}", ` +
        `incremental "${schedules.incrementalSync}")`,
    );
    ctx.io.out(`Conflicts:  ${s.unresolvedConflicts} unresolved\n`);
    ctx.io.out(
      table(
        ['ENTITY', 'TOTAL', 'SYNCED', 'PENDING', 'CONFLICTS'],
        s.stats.map((e) => [e.entity_type, e.total_count, e.synced_count, e.pending_count, e.conflict_count]),
      ),
    );
    return exitCodes.ok;
  },
};
