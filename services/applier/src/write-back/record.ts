import type { EntityType } from '@pricebook/contracts';
import {
  type EntityManager,
  insertOutbox,
  type OutboxInsert,
  type SyncItemAction,
  setWriteContext,
} from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { withChangeSet } from '../shared/conflict-change-set';
import { conflictEvent } from '../shared/conflict-event';
import { openConflicts, recordResolvedConflicts } from '../sql/conflicts';
import { insertLedger, type LedgerItem } from '../sql/ledger';
import { insertQuarantine } from '../sql/quarantine';
import type { PushResult } from './execute';
import { isEcho } from './plan';
import { reconcileStIds } from './reconcile';
import { asFetched } from './st-calls';
import {
  bumpPushCounters,
  markConflicted,
  markSynced,
  type PushCounters,
  type SyncedRow,
  setStIds,
  writeSynced,
} from './store';

type Json = Record<string, unknown>;
const ACTOR = 'applier-push';

export interface RecordScope {
  em: EntityManager;
  tenantId: string;
  entity: EntityType;
  /** The push command's sync log id (recorded on audit rows, conflicts and events). */
  syncLogId: string;
  /** Whether that sync log row exists (a standalone push has no ledger or counters). */
  hasLog: boolean;
  causationId: string;
  log: Logger;
}

type Origin = 'push' | 'st' | 'merge' | 'resolution';

function originOf(entity: EntityType, r: Extract<PushResult, { kind: 'written' }>, record: Json): Origin {
  // A pushed delete is `active: false` in ST: the echo of the local delete, already announced.
  const local = r.action === 'delete' ? { ...r.row.data, active: false } : r.row.data;
  if (isEcho(entity, local, record)) return 'push';
  if (r.settles) return 'resolution';
  return r.moved ? 'merge' : 'st';
}

const ledgerAction: Record<PushResult['kind'], SyncItemAction> = {
  written: 'update',
  conflict: 'conflict',
  rejected: 'quarantine',
  unreadable: 'quarantine',
  planned: 'skip',
  synced: 'skip',
};

function ledgerOf(r: PushResult): LedgerItem {
  let action = ledgerAction[r.kind];
  if (r.kind === 'written') action = r.action;
  if (r.kind === 'planned') action = r.action === 'conflict' ? 'conflict' : r.action;
  const detail =
    r.kind === 'planned'
      ? { push: true, request: r.request }
      : r.kind === 'rejected'
        ? { push: true, error: r.reason, request: r.request }
        : r.kind === 'unreadable'
          ? { push: true, error: `ServiceTitan's record fails our schema: ${r.item.reason}`, request: null }
          : null;
  const stId =
    r.kind === 'written' || r.kind === 'conflict'
      ? r.stId
      : r.kind === 'unreadable'
        ? r.item.stId
        : r.row.stId;
  return { item_key: `push:${r.row.id}`, action, record_id: r.row.id, st_id: stId, detail };
}

const counterOf: Partial<Record<SyncItemAction, keyof PushCounters>> = {
  create: 'pushCreated',
  update: 'pushUpdated',
  merge: 'pushMerged',
  delete: 'pushDeleted',
  skip: 'pushSkipped',
};

/**
 * Records a batch's results in the batch's transaction: rows brought in step (each write marked
 * with its origin, so only real content changes are announced), conflicts and their events, the
 * ledger (a dry run's plan) and the counters. Rows ST rejected stay `pending_sync`.
 *
 * @example
 * await recordResults(scope, results);
 */
export async function recordResults(scope: RecordScope, batch: readonly PushResult[]): Promise<void> {
  const { em, entity, syncLogId } = scope;
  const results = await reconcileStIds({ ...scope, actor: ACTOR }, batch);
  const links: Array<{ id: string; stId: number }> = [];
  const byOrigin = new Map<Origin, SyncedRow[]>();
  const synced: string[] = [];
  const conflicts = results.filter(
    (r): r is Extract<PushResult, { kind: 'conflict' }> => r.kind === 'conflict',
  );
  const events: OutboxInsert[] = [];
  for (const r of results) {
    if (r.kind === 'written') {
      const record = asFetched(r.answer);
      const origin = originOf(entity, r, record);
      byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), { id: r.row.id, stId: r.stId, record }]);
    } else if (r.kind === 'synced') synced.push(r.row.id);
    else if (r.kind === 'conflict' && r.settle === 'keep_st' && r.conflict.st) {
      const rows = byOrigin.get('resolution') ?? [];
      rows.push({ id: r.row.id, stId: r.stId, record: asFetched(r.conflict.st), restore: true });
      byOrigin.set('resolution', rows);
    } else if (r.kind === 'rejected') {
      scope.log.warn(
        { entity, recordId: r.row.id, stId: r.row.stId, reason: r.reason },
        'ServiceTitan rejected a local edit; it stays pending',
      );
    } else if (r.kind === 'unreadable') {
      if (r.link) links.push({ id: r.row.id, stId: r.item.stId });
      scope.log.warn(
        { entity, recordId: r.row.id, stId: r.item.stId, reason: r.item.reason },
        "ServiceTitan's record of a pending row fails our schema; it stays pending",
      );
    }
  }
  const context = (origin: Origin) => setWriteContext(em, { origin, syncLogId, actor: ACTOR });
  await context('push');
  // The row stays pending with its content, but knows its item: the next push reads it.
  await setStIds(em, entity, links);
  await markSynced(em, entity, synced);
  await markConflicted(
    em,
    entity,
    conflicts.filter((c) => c.settle === null).map((c) => c.row.id),
  );
  for (const [origin, rows] of byOrigin) {
    await context(origin);
    await writeSynced(em, entity, rows);
  }
  events.push(...(await conflictRows(scope, conflicts)));
  // Conflicts the sync's strategy settled: the write that carried the three-way result is the resolution.
  const keptLocal = results.filter(
    (r): r is Extract<PushResult, { kind: 'written' }> => r.kind === 'written' && r.settles !== undefined,
  );
  events.push(...(await settledRows(scope, keptLocal)));
  await insertOutbox(em, await withChangeSet(em, { origin: 'resolution', syncLogId, actor: ACTOR }, events));
  const unreadable = results.filter(
    (r): r is Extract<PushResult, { kind: 'unreadable' }> => r.kind === 'unreadable',
  );
  const keep = (list: typeof unreadable) =>
    insertQuarantine(
      em,
      { tenantId: scope.tenantId, syncLogId, entity },
      list.map((r) => ({ st_id: r.item.stId, raw: r.item.raw, reason: r.item.reason })),
    );
  if (!scope.hasLog) {
    await keep(unreadable);
    return;
  }
  const fresh = await insertLedger(em, syncLogId, entity, results.map(ledgerOf));
  // Kept once per sync, like the pull's quarantine: a redelivered push adds no second copy.
  const freshKeys = new Set(fresh.map((f) => f.itemKey));
  await keep(unreadable.filter((r) => freshKeys.has(`push:${r.row.id}`)));
  const counters: PushCounters = {};
  let conflictCount = 0;
  let errorCount = 0;
  for (const f of fresh) {
    if (f.action === 'conflict') conflictCount += 1;
    else if (f.action === 'quarantine') errorCount += 1;
    const name = counterOf[f.action];
    if (name) counters[name] = (counters[name] ?? 0) + 1;
  }
  await bumpPushCounters(em, syncLogId, entity, counters, { conflicts: conflictCount, errors: errorCount });
}

async function conflictRows(
  scope: RecordScope,
  conflicts: ReadonlyArray<Extract<PushResult, { kind: 'conflict' }>>,
): Promise<OutboxInsert[]> {
  const { em, entity, tenantId, syncLogId } = scope;
  const conflictScope = { tenantId, entity, syncLogId };
  const input = (c: Extract<PushResult, { kind: 'conflict' }>) => ({
    record_id: c.row.id,
    st_id: c.stId,
    conflict_type: c.conflict.type,
    st_version: c.conflict.st,
    local_version: c.row.data,
    base_version: c.row.base,
    field_diff: c.conflict.fieldDiff,
  });
  const manual = conflicts.filter((c) => c.settle === null);
  const settled = conflicts.filter((c) => c.settle === 'keep_st');
  const opened = await openConflicts(em, conflictScope, manual.map(input));
  const resolved = await recordResolvedConflicts(
    em,
    conflictScope,
    settled.map((c) => ({
      ...input(c),
      resolution: 'keep_st' as const,
      resolved_by: `sync:${syncLogId}`,
      resolved_data: c.conflict.st,
    })),
  );
  const events: OutboxInsert[] = [];
  for (const [list, kind, stored] of [
    [manual, 'conflicted', opened],
    [settled, 'resolved', resolved],
  ] as const) {
    for (const c of list) {
      const conflict = stored.get(c.row.id);
      if (!conflict) continue;
      events.push(
        conflictEvent(kind, {
          tenantId,
          entity,
          syncLogId,
          recordId: c.row.id,
          stId: c.stId,
          conflictId: conflict.id,
          conflictType: c.conflict.type,
          before: c.row.data,
          after: c.conflict.st,
          changedFields: c.conflict.fields,
          causationId: scope.causationId,
        }),
      );
    }
  }
  return events;
}

async function settledRows(
  scope: RecordScope,
  written: ReadonlyArray<Extract<PushResult, { kind: 'written' }>>,
): Promise<OutboxInsert[]> {
  const { em, entity, tenantId, syncLogId } = scope;
  const withConflict = written.flatMap((w) => (w.settles ? [{ w, conflict: w.settles }] : []));
  const resolved = await recordResolvedConflicts(
    em,
    { tenantId, entity, syncLogId },
    withConflict.map(({ w, conflict }) => ({
      record_id: w.row.id,
      st_id: w.stId,
      conflict_type: conflict.type,
      st_version: conflict.st,
      local_version: w.row.data,
      base_version: w.row.base,
      field_diff: conflict.fieldDiff,
      resolution: conflict.resolution,
      resolved_by: `sync:${syncLogId}`,
      resolved_data: asFetched(w.answer),
    })),
  );
  return withConflict.flatMap(({ w, conflict }) => {
    const stored = resolved.get(w.row.id);
    if (!stored) return [];
    return [
      conflictEvent('resolved', {
        tenantId,
        entity,
        syncLogId,
        recordId: w.row.id,
        stId: w.stId,
        conflictId: stored.id,
        conflictType: conflict.type,
        before: w.row.data,
        after: asFetched(w.answer),
        changedFields: conflict.fields,
        causationId: scope.causationId,
      }),
    ];
  });
}
