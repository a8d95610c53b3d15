import type { EntityType } from '@pricebook/contracts';
import {
  type CounterDeltas,
  insertOutbox,
  loadSyncs,
  type Orm,
  type OutboxInsert,
  recordProgress,
  type SyncItemAction,
  type SyncLogRow,
} from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import type { Delivery } from '@pricebook/messaging';
import { heartbeatRuns } from '../../sql/sync-log';
import { applyGroup, itemKeyOf, type StaleDecision } from './apply-group';
import type { Throttle } from './throttle';

type Decided = Delivery<'record.decided'>;

export interface BatchDeps {
  orm: Orm;
  /** Paces `sync.progress` events and run-lock heartbeats per sync. */
  progress: Throttle;
}

export interface BatchResult {
  /** Decisions that cannot be applied (terminated by the runner), with why. */
  failures: Map<Decided, unknown>;
  /** Decisions to send back to the comparator once the transaction has committed. */
  stale: StaleDecision[];
  /** Records applied by this batch, per tenant, entity and ledger action (known once it has committed). */
  applied: Array<{ tenantId: string; entity: EntityType; action: SyncItemAction; count: number }>;
}

/**
 * Splits decisions so that no record appears twice in one round: each round is applied after the
 * one before, in arrival order, so a second version of a record is judged against the first.
 */
export function rounds(deliveries: readonly Decided[]): Decided[][] {
  const seen = new Map<string, number>();
  const out: Decided[][] = [];
  for (const d of deliveries) {
    const key = `${d.message.data.entity}:${itemKeyOf(d.message.data)}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    let round = out[n];
    if (!round) {
      round = [];
      out[n] = round;
    }
    round.push(d);
  }
  return out;
}

function groups(round: readonly Decided[]): Map<string, Decided[]> {
  const out = new Map<string, Decided[]>();
  for (const d of round) {
    const key = `${d.message.data.syncLogId}|${d.message.data.entity}`;
    const group = out.get(key);
    if (group) group.push(d);
    else out.set(key, [d]);
  }
  return out;
}

function addCounters(
  target: CounterDeltas,
  entity: EntityType,
  counters: Record<string, number | undefined>,
) {
  const current: Record<string, number> = { ...(target[entity] ?? {}) };
  for (const [name, n] of Object.entries(counters)) current[name] = (current[name] ?? 0) + (n ?? 0);
  target[entity] = current;
}

/** Moves the counters of each sync, starts queued syncs, and paces progress events. */
async function settleSyncs(
  deps: BatchDeps,
  em: Parameters<typeof applyGroup>[0]['em'],
  touched: Map<string, { sync: SyncLogRow; deltas: CounterDeltas }>,
): Promise<void> {
  for (const { sync, deltas } of [...touched.values()].sort((a, b) => a.sync.id.localeCompare(b.sync.id))) {
    const moved = Object.keys(deltas).length > 0;
    if (!moved && sync.status !== 'queued') continue;
    // A queued sync starts (and its throttle with it) rather than reporting progress.
    const due = sync.status !== 'queued' && deps.progress.due(sync.id);
    const recorded = await recordProgress(em, sync.id, deltas, { progressEvent: due });
    if (!recorded) continue;
    if (recorded.started) deps.progress.touch(sync.id);
    if (recorded.started || (due && recorded.row.status === 'running')) {
      await heartbeatRuns(em, sync.tenant_id, sync.id);
    }
  }
}

/**
 * Applies a batch of decisions in one transaction: groups by sync and entity, bulk writes, ledger,
 * counters and events, each group as the tenant its sync belongs to (which must be the decision's).
 * Decisions of a finished or cancelled sync are acknowledged without effect.
 *
 * @example
 * const { failures, stale } = await applyBatch(deps, deliveries, log);
 */
export async function applyBatch(
  deps: BatchDeps,
  deliveries: readonly Decided[],
  log: Logger,
): Promise<BatchResult> {
  return deps.orm.em.fork().transactional(async (em) => {
    const syncIds = [...new Set(deliveries.map((d) => d.message.data.syncLogId))];
    const syncs = await loadSyncs(em, syncIds);
    const failures = new Map<Decided, unknown>();
    const live: Decided[] = [];
    for (const d of deliveries) {
      const id = d.message.data.syncLogId;
      const sync = syncs.get(id);
      if (!sync) failures.set(d, new AppError('not_found', `sync ${id} does not exist`));
      else if (sync.tenant_id !== d.message.tenant) {
        failures.set(
          d,
          new AppError(
            'bad_message',
            `decision for tenant ${d.message.tenant}, but sync ${id} belongs to tenant ${sync.tenant_id}`,
          ),
        );
      } else if (sync.status === 'completed' || sync.status === 'cancelled') {
        log.debug(
          { syncId: id, status: sync.status, eventId: d.message.id },
          'decision for an ended sync ignored',
        );
      } else live.push(d);
    }

    const touched = new Map<string, { sync: SyncLogRow; deltas: CounterDeltas }>();
    const stale: StaleDecision[] = [];
    const events: OutboxInsert[] = [];
    const applied: BatchResult['applied'] = [];
    for (const round of rounds(live)) {
      // Groups and syncs in a fixed order, so concurrent batches take their locks in the same order.
      for (const [, group] of [...groups(round)].sort(([a], [b]) => a.localeCompare(b))) {
        const first = group[0];
        const sync = first && syncs.get(first.message.data.syncLogId);
        if (!first || !sync) continue;
        const entity = first.message.data.entity;
        const result = await applyGroup({ em, tenantId: sync.tenant_id, sync, entity }, group);
        let entry = touched.get(sync.id);
        if (!entry) {
          entry = { sync, deltas: {} };
          touched.set(sync.id, entry);
        }
        if (Object.keys(result.counters).length > 0) addCounters(entry.deltas, entity, result.counters);
        stale.push(...result.stale);
        events.push(...result.events);
        for (const [action, count] of Object.entries(result.actions)) {
          applied.push({ tenantId: sync.tenant_id, entity, action: action as SyncItemAction, count });
        }
      }
    }
    // The conflict events first: the sync's own events (written by the life cycle) follow them.
    await insertOutbox(em, events);
    await settleSyncs(deps, em, touched);
    return { failures, stale, applied };
  });
}
