import { setTimeout as wait } from 'node:timers/promises';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Message } from '@pricebook/contracts';
import {
  endedSyncStatuses,
  failSync,
  finishEntity,
  insertOutbox,
  loadSyncs,
  lockSync,
  type Orm,
  pushesAfterFetch,
  recordProgress,
} from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { type BatchHandler, handleEach } from '@pricebook/messaging';
import type { StClients } from '../../shared/tenant-st';
import { ledgerHolds } from '../../sql/ledger';
import { releaseRuns } from '../../sql/sync-log';
import { saveFeedState } from '../../sql/sync-state';
import { type Confirmation, confirmDeletions, type StLookup } from './confirm';
import { completeIfDone } from './finish';
import { sweep } from './sweep';

export interface FenceHandlerOptions {
  orm: Orm;
  /** Publishes the records a full sync's listing missed, observed again after a read by id. */
  js: JetStreamClient;
  /**
   * Each tenant's ServiceTitan client, to confirm a deletion by id before the sweep believes it.
   * Absent, or refused for the tenant (no credentials, paused, removed): a full sync that finds
   * unlisted rows then fails with that reason, deleting nothing.
   */
  st?: StClients<StLookup> | undefined;
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
  if (!sync || endedSyncStatuses.includes(sync.status)) return;
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  while (!stopping.aborted && Date.now() < deadline) {
    if ((await ledgerHolds(em, fence)).done) return;
    // Stopping ends the wait early (the abort rejects it): the loop then returns at once.
    await wait(options.pollMs ?? 200, undefined, { signal: stopping }).catch(() => undefined);
  }
}

/**
 * A full sync's evidence for its sweep (see `confirmDeletions`), gathered outside any transaction
 * once the ledger is complete; undefined when this fence sweeps nothing now (not a full pull, the
 * fetch failed, the sync or entity is over, or the decisions are not all in yet).
 */
async function gatherEvidence(
  options: FenceHandlerOptions,
  message: Message<'sync.fence'>,
  log: Logger,
  stopping: AbortSignal,
): Promise<Confirmation | undefined> {
  const fence = message.data;
  if (fence.failed) return undefined;
  const em = options.orm.em.fork();
  const sync = (await loadSyncs(em, [fence.syncLogId])).get(fence.syncLogId);
  if (!sync || sync.tenant_id !== message.tenant) return undefined;
  if (sync.status !== 'queued' && sync.status !== 'running') return undefined;
  if (sync.sync_type !== 'full' || sync.direction === 'to_st') return undefined;
  if (sync.entity_stats[fence.entity]?.finished === true) return undefined;
  if (!(await ledgerHolds(em, fence)).done) return undefined;
  return confirmDeletions({
    orm: options.orm,
    js: options.js,
    st: options.st,
    tenantId: message.tenant,
    syncLogId: sync.id,
    entity: fence.entity,
    causationId: message.id,
    log,
    stopping,
    waitMs: options.waitMs ?? 15_000,
    pollMs: options.pollMs ?? 200,
  });
}

function describeShare(missing: number, live: number): string {
  return live === 0 ? 'all' : `${((missing / live) * 100).toFixed(1)}%`;
}

/**
 * Closes one entity of a sync, in one transaction, once the ledger holds every record the fetcher
 * published, as the fence message's tenant (which must be its sync's): the full-sync sweep, the export token, the counters, the run lock (kept until the
 * push ends for a sync that pushes next), and the sync itself when it was the last entity. Until then it throws a retryable error (the runner naks it
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
  const tenantId = message.tenant;
  const fence = message.data;
  const { entity } = fence;
  await awaitDecisions(options, fence, stopping);
  const evidence = await gatherEvidence(options, message, log, stopping);
  return options.orm.em.fork().transactional(async (em): Promise<FenceOutcome> => {
    const sync = await lockSync(em, fence.syncLogId);
    if (!sync) throw new AppError('not_found', `sync ${fence.syncLogId} does not exist`);
    if (sync.tenant_id !== tenantId) {
      throw new AppError(
        'bad_message',
        `fence for tenant ${tenantId}, but sync ${sync.id} belongs to tenant ${sync.tenant_id}`,
      );
    }
    if (sync.status === 'completed' || sync.status === 'cancelled') return 'already_done';
    if (sync.entity_stats[entity]?.finished === true) return 'already_done';
    if (sync.status === 'failed') {
      await releaseRuns(em, tenantId, sync.id, entity);
      return 'already_done';
    }
    if (fence.failed) {
      const reason = { code: fence.failed.code, message: `${entity}: ${fence.failed.message}` };
      await failSync(em, sync.id, reason);
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

    // A push-only sync read nothing from ST: there is nothing to sweep and no feed position to keep.
    const pushOnly = sync.direction === 'to_st';
    const full = sync.sync_type === 'full' && !pushOnly;
    let sweptCounters = {};
    if (full) {
      // The ledger completed only after the evidence was looked for: come back and gather it.
      if (!evidence) {
        throw new AppError('unavailable', `${entity}: deletions not yet confirmed by id`, {
          details: { syncId: sync.id, entity },
        });
      }
      if (evidence.failed) {
        const reason = { code: evidence.failed.code, message: `${entity}: ${evidence.failed.message}` };
        await failSync(em, sync.id, reason);
        log.warn({ syncId: sync.id, entity, code: reason.code }, 'deletions unconfirmed; sync failed');
        return 'failed';
      }
      const input = {
        em,
        tenantId,
        sync,
        entity,
        maxDeleteShare: options.maxDeleteShare,
        causationId: message.id,
        gone: evidence.gone,
      };
      const swept = await sweep(input);
      if (swept.refused) {
        const { missing, live } = swept.refused;
        const reason = {
          code: 'mass_delete_refused',
          message: `refusing to delete ${missing} of ${live} live ${entity} (${describeShare(missing, live)} > ${options.maxDeleteShare * 100}%): ServiceTitan no longer lists them; run the sync again with allowMassDelete to delete them`,
        };
        await failSync(em, sync.id, reason);
        log.warn({ syncId: sync.id, entity, missing, live }, 'mass delete refused; sync failed');
        return 'refused';
      }
      sweptCounters = swept.counters;
      // Before the sync's own events, so a `sync.completed` follows the deletions it counts.
      await insertOutbox(em, swept.events);
    }
    if (!sync.dry_run && !pushOnly) {
      await saveFeedState(em, { tenantId, entity, full, exportToken: fence.exportToken ?? null });
    }
    // `published` counts every distinct record the fetcher sent, invalid ones included; the
    // invalid ones were already counted in `errors` when their quarantine decision was applied.
    // Records observed again after a read by id (see `confirmDeletions`) were fetched too.
    await recordProgress(em, sync.id, {
      [entity]: { ...sweptCounters, fetched: Math.max(fence.published, held.records) },
    });
    const marked = await finishEntity(em, sync.id, entity);
    // A sync that pushes next keeps its run locks until its push ends: a pull of these entities
    // meanwhile would import ST's echo of the creates being pushed as second local rows.
    if (!pushesAfterFetch(sync)) await releaseRuns(em, tenantId, sync.id, entity);
    if (marked.changed) await completeIfDone(em, marked.row);
    return 'finished';
  });
}

/**
 * The batch handler of the `applier-fence` durable: each fence on its own, in its own transaction.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.fence,
 *   handler: createFenceHandler({ orm, js, st: clients, maxDeleteShare: 0.5 }) });
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
