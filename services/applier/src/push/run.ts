import { catalog, entityTypes, type Message } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import type { StClient } from '@pricebook/st-client';
import { failSync } from '../fence/finish';
import { insertOutbox, type OutboxInsert } from '../sql/outbox';
import { run } from '../sql/query';
import { bumpCounters, endSync, loadSyncs, lockSync, releaseRuns } from '../sql/sync-log';
import { syncEvent } from '../sync/events';
import { syncOptions } from '../sync/options';
import { type PushBatchContext, pushBatch } from './execute';
import { recordResults } from './record';
import { linkedCategoryIds, loadPending } from './store';

/** What the push needs beside the message. */
export interface PushDeps {
  orm: Orm;
  tenantId: string;
  /** Undefined when the applier has no ST credentials or application GUID: pushes then fail their sync. */
  st: StClient | undefined;
  applicationGuid: string | undefined;
  hardDelete: boolean;
  batchSize: number;
  bulkMin: number;
  /** Test hook: runs right after ST accepted a create, before the row records its ST id. */
  afterCreate?: (recordId: string, stId: number) => Promise<void>;
}

export type PushOutcome = 'completed' | 'already_done' | 'failed' | 'standalone';

const done = new Set(['completed', 'failed', 'cancelled']);

async function endWith(
  deps: PushDeps,
  syncLogId: string,
  build: (em: Parameters<typeof insertOutbox>[0]) => Promise<OutboxInsert[]>,
) {
  await deps.orm.em.fork().transactional(async (em) => {
    await insertOutbox(em, await build(em));
  });
  return syncLogId;
}

/**
 * Runs one `push.command`: every `pending_sync` row of the requested entities (or the given
 * record ids), categories first, in batches of one transaction each (the rows stay locked while
 * their ST calls run). Then the sync completes with its counters. A retryable ST failure records
 * what was done and throws, so the command comes back with backoff; after the last delivery the
 * sync fails instead. Without a sync log row of its id the push is standalone: it records rows,
 * conflicts and events, but no ledger and no counters.
 *
 * @example
 * await runPush(deps, message, log, delivery.deliveryCount);
 */
export async function runPush(
  deps: PushDeps,
  message: Message<'push.command'>,
  log: Logger,
  deliveryCount: number,
): Promise<PushOutcome> {
  const { data } = message;
  const sync = (await loadSyncs(deps.orm.em.fork(), [data.syncLogId])).get(data.syncLogId);
  if (sync && done.has(sync.status)) return 'already_done';
  if (sync && sync.tenant_id !== deps.tenantId)
    throw new AppError('bad_message', `sync ${sync.id} belongs to tenant ${sync.tenant_id}`);
  const st = deps.st;
  const applicationGuid = deps.applicationGuid;
  if (!st || !applicationGuid) {
    const reason = {
      code: 'push_not_configured',
      message: 'the applier has no ServiceTitan credentials or ST_APPLICATION_GUID',
    };
    if (sync)
      await endWith(deps, sync.id, async (em) => {
        const row = await lockSync(em, sync.id);
        return row ? failSync(em, deps.tenantId, row, reason) : [];
      });
    log.error({ syncId: data.syncLogId }, 'push not configured; sync failed');
    return 'failed';
  }
  if (sync?.status === 'queued') {
    await endWith(deps, sync.id, async (em) => {
      const bumped = await bumpCounters(em, sync.id, {});
      const started = bumped?.prev_status === 'queued' ? syncEvent('started', bumped) : undefined;
      return started ? [started] : [];
    });
  }
  const dryRun = data.dryRun || sync?.dry_run === true;
  const resolveConflicts = sync ? syncOptions(sync.options).resolveConflicts : 'manual';
  let stoppedBy: unknown;
  outer: for (const entity of entityTypes.filter((e) => data.entityTypes.includes(e))) {
    let after: string | null = null;
    for (;;) {
      const step = await deps.orm.em.fork().transactional(async (em) => {
        const rows = await loadPending(em, {
          entity,
          tenantId: deps.tenantId,
          after,
          recordIds: data.recordIds,
          limit: deps.batchSize,
          lock: !dryRun,
        });
        if (rows.length === 0) return undefined;
        const ctx: PushBatchContext = {
          entity,
          resolveConflicts,
          hardDelete: deps.hardDelete,
          st,
          applicationGuid,
          dryRun,
          bulkMin: deps.bulkMin,
          log,
          linkedCategories: () => linkedCategoryIds(em, deps.tenantId),
          ...(deps.afterCreate ? { afterCreate: deps.afterCreate } : {}),
        };
        const outcome = await pushBatch(ctx, rows);
        await recordResults(
          {
            em,
            tenantId: deps.tenantId,
            entity,
            syncLogId: data.syncLogId,
            hasLog: sync !== undefined,
            causationId: message.id,
            log,
          },
          outcome.results,
        );
        log.info(
          { entity, rows: rows.length, handled: outcome.results.length, dryRun },
          'push batch recorded',
        );
        return { last: rows[rows.length - 1]?.id ?? null, stoppedBy: outcome.stoppedBy };
      });
      if (!step) break;
      if (step.stoppedBy !== undefined) {
        stoppedBy = step.stoppedBy;
        break outer;
      }
      after = step.last;
    }
  }
  if (stoppedBy !== undefined) {
    const lastTry = deliveryCount >= catalog['push.command'].retry.maxDeliveries;
    if (!lastTry || !sync) throw stoppedBy;
    const reason = {
      code: 'push_failed',
      message: stoppedBy instanceof Error ? stoppedBy.message : String(stoppedBy),
    };
    await endWith(deps, sync.id, async (em) => {
      const row = await lockSync(em, sync.id);
      return row ? failSync(em, deps.tenantId, row, reason) : [];
    });
    return 'failed';
  }
  if (!sync) return 'standalone';
  await endWith(deps, sync.id, async (em) => {
    const rejected = await run(
      em,
      `select 1 from pricebook_sync_items where sync_log_id = ? and action = 'quarantine'`,
      [sync.id],
    );
    const row = await endSync(
      em,
      sync.id,
      'completed',
      rejected > 0 ? `${rejected} local edits rejected by ServiceTitan; see the log's items` : null,
    );
    if (!row) return [];
    await releaseRuns(em, deps.tenantId, sync.id);
    // Rejected edits keep their ledger rows (with ST's reason) for inspection.
    if (!row.dry_run)
      await run(em, `delete from pricebook_sync_items where sync_log_id = ? and action <> 'quarantine'`, [
        sync.id,
      ]);
    const event = syncEvent('completed', row);
    return event ? [event] : [];
  });
  return 'completed';
}
