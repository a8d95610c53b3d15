import type { Message } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { type BatchHandler, handleEach } from '@pricebook/messaging';
import { sleep } from '../sleep';
import { ledgerHolds } from '../sql/ledger';
import { insertOutbox, type OutboxInsert } from '../sql/outbox';
import { bumpCounters, loadSyncs, lockSync, markEntityFinished, releaseRuns } from '../sql/sync-log';
import { saveFeedState } from '../sql/sync-state';
import { syncEvent } from '../sync/events';
import { completeIfDone, failSync } from './finish';
import { sweep } from './sweep';

export interface FenceHandlerOptions {
  orm: Orm;
  /** The tenant this deployment serves (`ST_TENANT_ID`). */
  tenantId: string;
  /** `SYNC_MASS_DELETE_MAX_SHARE`. */
  maxDeleteShare: number;
  /** Fences handled at once (default 2); fences of one sync take turns on its row lock. */
  concurrency?: number;
  /**
   * How long a fence waits in hand for its decisions before giving the message back (default
   * 15 s): waiting here notices the last decision within `pollMs` and spends no delivery, while a
   * nak would wait out the retry backoff and use up the policy's deliveries on a long sync.
   */
  waitMs?: number;
  /** How often a waiting fence counts the ledger (default 200 ms). */
  pollMs?: number;
}

/** What happened to a fence, for the log line. */
export type FenceOutcome = 'finished' | 'already_done' | 'failed' | 'refused';

/**
 * Waits, outside any transaction (the decided batches need the sync row meanwhile), until the
 * ledger holds every record the fence announced, the wait runs out, or the process is stopping.
 */
async function awaitDecisions(
  options: FenceHandlerOptions,
  fence: Message<'sync.fence'>['data'],
  stopping: AbortSignal,
): Promise<void> {
  if (fence.failed || fence.published === 0) return;
  const em = options.orm.em.fork();
  const sync = (await loadSyncs(em, [fence.syncLogId])).get(fence.syncLogId);
  if (!sync || sync.status === 'completed' || sync.status === 'failed' || sync.status === 'cancelled') return;
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  while (!stopping.aborted && Date.now() < deadline) {
    if ((await ledgerHolds(em, fence)).done) return;
    await sleep(options.pollMs ?? 200, stopping);
  }
}

function describeShare(missing: number, live: number): string {
  return live === 0 ? 'all' : `${((missing / live) * 100).toFixed(1)}%`;
}

/**
 * Closes one entity of a sync, in one transaction, once the ledger holds every record the fetcher
 * published: the full-sync sweep, the export token, the counters, the run lock, and the sync
 * itself when it was the last entity. Until then it throws a retryable error (the runner naks it
 * with a delay). Handling it again after it took effect changes nothing.
 *
 * @example
 * const outcome = await handleFence(options, message, log);
 */
export async function handleFence(
  options: FenceHandlerOptions,
  message: Message<'sync.fence'>,
  log: Logger,
  stopping: AbortSignal = new AbortController().signal,
): Promise<FenceOutcome> {
  const { tenantId } = options;
  if (message.tenant !== tenantId) {
    throw new AppError(
      'bad_message',
      `message for tenant ${message.tenant}; this applier serves tenant ${tenantId}`,
    );
  }
  const fence = message.data;
  const { entity } = fence;
  await awaitDecisions(options, fence, stopping);
  return options.orm.em.fork().transactional(async (em): Promise<FenceOutcome> => {
    const sync = await lockSync(em, fence.syncLogId);
    if (!sync) throw new AppError('not_found', `sync ${fence.syncLogId} does not exist`);
    if (sync.tenant_id !== tenantId)
      throw new AppError('bad_message', `sync ${sync.id} belongs to tenant ${sync.tenant_id}`);
    if (sync.status === 'completed' || sync.status === 'cancelled') return 'already_done';
    if (sync.entity_stats[entity]?.finished === true) return 'already_done';
    if (sync.status === 'failed') {
      await releaseRuns(em, tenantId, sync.id, entity);
      return 'already_done';
    }
    if (fence.failed) {
      const reason = { code: fence.failed.code, message: `${entity}: ${fence.failed.message}` };
      await insertOutbox(em, await failSync(em, tenantId, sync, reason));
      log.warn({ syncId: sync.id, entity, code: fence.failed.code }, 'sync failed while fetching');
      return 'failed';
    }
    // Every record at every version the fetcher saw: a newer version still in flight (ST changed
    // the record while the sync read it) keeps the entity open, so its export token waits too.
    const held = await ledgerHolds(em, fence);
    if (!held.done) {
      throw new AppError(
        'unavailable',
        `waiting for decisions: ${held.records} of ${fence.published} applied`,
        {
          details: { syncId: sync.id, entity, ...held, published: fence.published, expected: fence.versions },
        },
      );
    }

    const events: OutboxInsert[] = [];
    // A push-only sync read nothing from ST: there is nothing to sweep and no feed position to keep.
    const pushOnly = sync.direction === 'to_st';
    const full = sync.sync_type === 'full' && !pushOnly;
    let sweptCounters = {};
    if (full) {
      const input = {
        em,
        tenantId,
        sync,
        entity,
        maxDeleteShare: options.maxDeleteShare,
        causationId: message.id,
      };
      const swept = await sweep(input);
      if (swept.refused) {
        const { missing, live } = swept.refused;
        const reason = {
          code: 'mass_delete_refused',
          message: `refusing to delete ${missing} of ${live} live ${entity} (${describeShare(missing, live)} > ${options.maxDeleteShare * 100}%): ServiceTitan no longer lists them; run the sync again with allowMassDelete to delete them`,
        };
        await insertOutbox(em, await failSync(em, tenantId, sync, reason));
        log.warn({ syncId: sync.id, entity, missing, live }, 'mass delete refused; sync failed');
        return 'refused';
      }
      sweptCounters = swept.counters;
      events.push(...swept.events);
    }
    if (!sync.dry_run && !pushOnly) {
      await saveFeedState(em, { tenantId, entity, full, exportToken: fence.exportToken ?? null });
    }
    // `published` counts every distinct record the fetcher sent, invalid ones included; the
    // invalid ones were already counted in `errors` when their quarantine decision was applied.
    const bumped = await bumpCounters(em, sync.id, {
      [entity]: { ...sweptCounters, fetched: fence.published },
    });
    if (bumped?.prev_status === 'queued') {
      const started = syncEvent('started', bumped);
      if (started) events.push(started);
    }
    const marked = await markEntityFinished(em, sync.id, entity);
    await releaseRuns(em, tenantId, sync.id, entity);
    if (marked) events.push(...(await completeIfDone(em, tenantId, marked)));
    await insertOutbox(em, events);
    return 'finished';
  });
}

/**
 * The batch handler of the `applier-fence` durable: each fence on its own, in its own transaction.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.fence,
 *   handler: createFenceHandler({ orm, tenantId: env.ST_TENANT_ID, maxDeleteShare: 0.5 }) });
 */
export function createFenceHandler(options: FenceHandlerOptions): BatchHandler<'sync.fence'> {
  return handleEach(
    {
      'sync.fence': async (message, { log, stopping }) => {
        const outcome = await handleFence(options, message, log, stopping);
        log.info(
          { syncId: message.data.syncLogId, entity: message.data.entity, outcome, eventId: message.id },
          'fence handled',
        );
      },
    },
    { concurrency: options.concurrency ?? 2 },
  );
}
