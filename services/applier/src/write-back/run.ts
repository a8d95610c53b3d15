import { catalog, entityTypes, type Message, type PushLimits, readSyncOptions } from '@pricebook/contracts';
import {
  completeSync,
  endedSyncStatuses,
  failSync,
  loadSyncs,
  type Orm,
  type SyncLogRow,
  startPush,
} from '@pricebook/db';
import { AppError, toAppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import type { StClient } from '@pricebook/st-client';
import { type StClients, tenantRefusal } from '../shared/tenant-st';
import { run } from '../sql/query';
import { heartbeatRuns } from '../sql/sync-log';
import { type PushBatchContext, pushBatch } from './execute';
import { measurePushImpact, recordPushImpact } from './impact';
import { recordResults } from './record';
import { linkedStIds, loadPending } from './store';

/** What the push needs beside the message. */
export interface PushDeps {
  orm: Orm;
  /**
   * Each tenant's ServiceTitan client and application GUID. A push whose tenant it refuses (not
   * known, paused, removed, no credentials) or that has no GUID fails its sync with the reason.
   */
  clients: StClients;
  hardDelete: boolean;
  batchSize: number;
  bulkMin: number;
  /** The push brake's limits. */
  limits: PushLimits;
  /** Test hook: runs right after ST accepted a create, before the row records its ST id. */
  afterCreate?: (recordId: string, stId: number) => Promise<void>;
}

export type PushOutcome = 'completed' | 'already_done' | 'failed' | 'standalone';

/**
 * The tenant's client and application GUID, or why the push cannot have them: the directory
 * refuses the tenant (unknown, paused, removed, credentials missing or unreadable) or it has no
 * GUID to tag creates with. Any other error (the database) is thrown, to be retried.
 */
async function reachTenant(
  deps: PushDeps,
  tenantId: string,
): Promise<{ st: StClient; applicationGuid: string } | { refused: { code: string; message: string } }> {
  let reached: Awaited<ReturnType<StClients['forTenant']>>;
  try {
    reached = await deps.clients.forTenant(tenantId);
  } catch (error) {
    const refusal = tenantRefusal(error);
    if (!refusal) throw error;
    return { refused: refusal };
  }
  const { applicationGuid } = reached.connection;
  if (!applicationGuid) {
    return {
      refused: {
        code: 'push_not_configured',
        message: `tenant ${tenantId} has no application GUID (ST_APPLICATION_GUID, or the tenant's applicationGuid) to tag what the push creates`,
      },
    };
  }
  return { st: reached.st, applicationGuid };
}

/** Fails the sync with its reason (which releases every run lock it still holds). */
async function failWith(deps: PushDeps, sync: SyncLogRow, reason: { code: string; message: string }) {
  await deps.orm.em.fork().transactional((em) => failSync(em, sync.id, reason));
}

interface PushRun {
  deps: PushDeps;
  /** The command's tenant, which its sync's was checked to be. */
  tenantId: string;
  message: Message<'push.command'>;
  log: Logger;
  sync: SyncLogRow | undefined;
  st: StClient;
  applicationGuid: string;
}

/**
 * Pushes every pending row of the command's entities, batch by batch. Returns the retryable
 * error that stopped a batch (after what ST accepted was recorded), or undefined when all went.
 */
async function pushEntities(r: PushRun): Promise<unknown> {
  const { deps, tenantId, message, log, sync, st, applicationGuid } = r;
  const { data } = message;
  const dryRun = data.dryRun || sync?.dry_run === true;
  const resolveConflicts = sync ? readSyncOptions(sync.options).resolveConflicts : 'manual';
  for (const entity of entityTypes.filter((e) => data.entityTypes.includes(e))) {
    let after: string | null = null;
    for (;;) {
      // The sync holds its run locks through the push: proving it alive before each batch, in a
      // statement of its own, keeps them from being taken over as stale and never makes a sync
      // request wait on a batch's transaction.
      if (sync) await heartbeatRuns(deps.orm.em.fork(), tenantId, sync.id);
      const step = await deps.orm.em.fork().transactional(async (em) => {
        const rows = await loadPending(em, {
          entity,
          tenantId,
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
          linkedStIds: () => linkedStIds(em, entity, tenantId),
          ...(deps.afterCreate ? { afterCreate: deps.afterCreate } : {}),
        };
        const outcome = await pushBatch(ctx, rows);
        await recordResults(
          {
            em,
            tenantId,
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
      if (step.stoppedBy !== undefined) return step.stoppedBy;
      after = step.last;
    }
  }
  return undefined;
}

/**
 * The push brake: measures the push before anything is sent and keeps the measure on the sync
 * log (a dry run's plan shows it). A push that crosses a limit without `allowMassChange` fails its
 * sync with the numbers, having sent nothing; returns whether it did.
 */
async function braked(
  deps: PushDeps,
  message: Message<'push.command'>,
  sync: SyncLogRow | undefined,
  log: Logger,
): Promise<boolean> {
  const { data } = message;
  const impact = await measurePushImpact(deps.orm.em.fork(), {
    tenantId: message.tenant,
    entities: data.entityTypes,
    recordIds: data.recordIds,
    limits: deps.limits,
    allowMassChange: sync ? readSyncOptions(sync.options).allowMassChange : data.allowMassChange === true,
  });
  if (sync) await recordPushImpact(deps.orm.em.fork(), sync.id, impact);
  const dryRun = data.dryRun || sync?.dry_run === true;
  if (impact.exceeded.length === 0 || impact.allowMassChange || dryRun) return false;
  log.warn({ syncId: data.syncLogId, impact }, 'push brake: mass change refused; nothing sent');
  if (sync) {
    await failWith(deps, sync, {
      code: 'mass_change_refused',
      message: `${impact.exceeded.join('; ')}. Nothing was sent; run again with allowMassChange to send it`,
    });
  }
  return true;
}

/**
 * Runs one `push.command`: every `pending_sync` row of the requested entities (or the given
 * record ids), categories first, in batches of one transaction each (the rows stay locked while
 * their ST calls run). Then the sync completes with its counters and releases its run locks,
 * which it held through the push so that no other sync of its entities runs meanwhile. A
 * retryable ST failure records what was done and throws, so the command comes back with backoff;
 * after the last delivery, or on a failure that cannot come back, the sync fails instead. Without a sync log row of its id the push is standalone: it records rows,
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
  const tenantId = message.tenant;
  const sync = (await loadSyncs(deps.orm.em.fork(), [data.syncLogId])).get(data.syncLogId);
  if (sync && endedSyncStatuses.includes(sync.status)) return 'already_done';
  if (sync && sync.tenant_id !== tenantId) {
    throw new AppError(
      'bad_message',
      `push for tenant ${tenantId}, but sync ${sync.id} belongs to tenant ${sync.tenant_id}`,
    );
  }
  const reached = await reachTenant(deps, tenantId);
  if ('refused' in reached) {
    // A standalone push has no sync to carry the reason: the runner dead-letters it with it.
    if (!sync) throw new AppError('tenant_unavailable', reached.refused.message, { retry: false });
    await failWith(deps, sync, reached.refused);
    log.error(
      {
        syncId: data.syncLogId,
        tenant: tenantId,
        code: reached.refused.code,
        reason: reached.refused.message,
      },
      'push cannot reach its tenant; sync failed',
    );
    return 'failed';
  }
  const { st, applicationGuid } = reached;
  if (sync?.status === 'queued') {
    // A push-only sync starts here; one handed over by its fetch part is `pushing` already.
    await deps.orm.em.fork().transactional((em) => startPush(em, sync.id));
  }
  if (await braked(deps, message, sync, log)) return 'failed';
  let stoppedBy: unknown;
  try {
    stoppedBy = await pushEntities({ deps, tenantId, message, log, sync, st, applicationGuid });
  } catch (error) {
    stoppedBy = error;
  }
  if (stoppedBy !== undefined) {
    const lastTry = deliveryCount >= catalog['push.command'].retry.maxDeliveries;
    // A failure that will not come back (or came back for the last time) ends the sync, which
    // releases its run locks at once rather than leaving them to go stale.
    if (!sync || (!lastTry && toAppError(stoppedBy).retry)) throw stoppedBy;
    const reason = {
      code: 'push_failed',
      message: stoppedBy instanceof Error ? stoppedBy.message : String(stoppedBy),
    };
    await failWith(deps, sync, reason);
    log.warn({ syncId: sync.id, err: reason.message }, 'push failed; sync failed');
    return 'failed';
  }
  if (!sync) return 'standalone';
  await deps.orm.em.fork().transactional(async (em) => {
    const rejected = await run(
      em,
      `select 1 from pricebook_sync_items where sync_log_id = ? and action = 'quarantine'`,
      [sync.id],
    );
    const completed = await completeSync(
      em,
      sync.id,
      rejected > 0
        ? `${rejected} local edits not sent (rejected by ServiceTitan, or its record fails our schema); see the log's items`
        : null,
    );
    // Ended meanwhile (the watchdog failed it): what was pushed stays pushed, the sync stays as it is.
    if (!completed.changed)
      log.warn({ syncId: sync.id, status: completed.from }, 'push done after its sync ended');
    // Edits not sent keep their ledger rows (with the reason) for inspection.
    else if (!completed.row.dry_run)
      await run(em, `delete from pricebook_sync_items where sync_log_id = ? and action <> 'quarantine'`, [
        sync.id,
      ]);
  });
  return 'completed';
}
