import { type EntityType, entityTables, readSyncOptions } from '@pricebook/contracts';
import type { OutboxInsert, SyncLogRow } from '@pricebook/db';
import { type EntityCounters, type EntityManager, type SyncStatus, setWriteContext } from '@pricebook/db';
import { withChangeSet } from '../../shared/conflict-change-set';
import { conflictEvent } from '../../shared/conflict-event';
import { type ConflictInput, openConflicts, recordResolvedConflicts } from '../../sql/conflicts';
import { insertLedger, type LedgerItem } from '../../sql/ledger';
import { query } from '../../sql/query';
import { type RewriteRow, rewriteRows } from '../../sql/writes';
import { countersOf } from '../decided/apply-group';
import { unseenIdsSql, unseenParams } from './unseen';

export interface SweepInput {
  em: EntityManager;
  tenantId: string;
  sync: SyncLogRow;
  entity: EntityType;
  /** Largest share of the entity's live rows a sweep may delete without `allowMassDelete`. */
  maxDeleteShare: number;
  /** The fence message id, recorded as the cause of conflict events. */
  causationId: string;
  /**
   * ST ids that ServiceTitan answered "not found" for when read by id (see `confirmDeletions`):
   * the only rows the sweep may delete. An unseen row not in it is left alone.
   */
  gone: ReadonlySet<string>;
}

export type SweepResult =
  | { refused: { missing: number; live: number } }
  | { refused?: undefined; counters: Partial<EntityCounters>; events: OutboxInsert[] };

interface Candidate {
  id: string;
  st_id: string;
  version: number;
  sync_status: SyncStatus;
  has_conflict: boolean;
  data: Record<string, unknown>;
  base: Record<string, unknown> | null;
}

/** The unseen live rows that ServiceTitan confirmed gone; `gone` as a JSON array for the query. */
const goneUnseen = (table: string) => `select t.st_id from (${unseenIdsSql(table)}) t
  where t.st_id in (select jsonb_array_elements_text(?::jsonb)::bigint)`;

const goneParams = (input: SweepInput) => [
  ...unseenParams({ tenantId: input.tenantId, syncLogId: input.sync.id, entity: input.entity }),
  JSON.stringify([...input.gone]),
];

async function countGone(input: SweepInput): Promise<{ missing: number; live: number }> {
  const table = entityTables[input.entity];
  const rows = await query<{ missing: string; live: string }>(
    input.em,
    `select (select count(*) from (${goneUnseen(table)}) as u) as missing,
            (select count(*) from ${table} where tenant_id = ? and deleted_at is null) as live`,
    [...goneParams(input), input.tenantId],
  );
  return { missing: Number(rows[0]?.missing ?? 0), live: Number(rows[0]?.live ?? 0) };
}

async function loadGone(input: SweepInput): Promise<Candidate[]> {
  const table = entityTables[input.entity];
  const lock = input.sync.dry_run ? '' : ' for update of t';
  return query<Candidate>(
    input.em,
    `select t.id, t.st_id::text as st_id, t.version, t.sync_status, t.has_conflict, t.data, t.base
       from ${table} t
      where t.tenant_id = ? and t.st_id in (${goneUnseen(table)})
      order by t.st_id${lock}`,
    [input.tenantId, ...goneParams(input)],
  );
}

type Fate = 'delete' | 'manual' | 'keep_st' | 'keep_local';

function conflictOf(c: Candidate): ConflictInput {
  return {
    record_id: c.id,
    st_id: Number(c.st_id),
    conflict_type: 'st_deleted_local_modified',
    st_version: null,
    local_version: c.data,
    base_version: c.base,
    field_diff: null,
  };
}

/** Writes the sweep: soft deletes (origin st), and conflicts or their automatic settlement. */
async function writeSweep(input: SweepInput, fates: Map<Candidate, Fate>): Promise<OutboxInsert[]> {
  const { em, entity, tenantId, sync } = input;
  const of = (fate: Fate) => [...fates].filter(([, f]) => f === fate).map(([c]) => c);
  const guard = (c: Candidate) => ({ id: c.id, version: c.version });
  const context = { syncLogId: sync.id, actor: 'applier' };
  const deletes: RewriteRow[] = of('delete').map((c) => ({ ...guard(c), status: 'synced', deleted: true }));
  const flagged: RewriteRow[] = of('manual').map((c) => ({
    ...guard(c),
    status: 'conflict',
    has_conflict: true,
  }));
  const settled: RewriteRow[] = [
    ...of('keep_st').map(
      (c): RewriteRow => ({ ...guard(c), status: 'synced', has_conflict: false, deleted: true }),
    ),
    ...of('keep_local').map(
      (c): RewriteRow => ({ ...guard(c), status: 'pending_sync', has_conflict: false }),
    ),
  ];
  if (deletes.length > 0 || flagged.length > 0) {
    await setWriteContext(em, { origin: 'st', ...context });
    await rewriteRows(em, entity, [...deletes, ...flagged]);
  }
  if (settled.length > 0) {
    await setWriteContext(em, { origin: 'resolution', ...context });
    await rewriteRows(em, entity, settled);
  }
  const scope = { tenantId, entity, syncLogId: sync.id };
  const opened = await openConflicts(em, scope, of('manual').map(conflictOf));
  const resolvedBy = `sync:${sync.id}`;
  const resolved = await recordResolvedConflicts(em, scope, [
    ...of('keep_st').map((c) => ({
      ...conflictOf(c),
      resolution: 'keep_st' as const,
      resolved_by: resolvedBy,
      resolved_data: null,
    })),
    ...of('keep_local').map((c) => ({
      ...conflictOf(c),
      resolution: 'keep_local' as const,
      resolved_by: resolvedBy,
      resolved_data: c.data,
    })),
  ]);
  const events: OutboxInsert[] = [];
  for (const [c, fate] of fates) {
    if (fate === 'delete') continue;
    const stored = (fate === 'manual' ? opened : resolved).get(c.id);
    if (!stored) continue;
    events.push(
      conflictEvent(fate === 'manual' ? 'conflicted' : 'resolved', {
        tenantId,
        entity,
        syncLogId: sync.id,
        recordId: c.id,
        stId: Number(c.st_id),
        conflictId: stored.id,
        conflictType: 'st_deleted_local_modified',
        before: c.data,
        after: fate === 'keep_local' ? c.data : null,
        changedFields: [],
        causationId: input.causationId,
      }),
    );
  }
  return withChangeSet(em, { origin: 'resolution', ...context }, events);
}

function planOf(fate: Fate): Record<string, unknown> {
  if (fate === 'delete') return { action: 'delete', reason: 'not_in_st', delete: true };
  return {
    action: 'conflict',
    reason: 'not_in_st',
    conflictType: 'st_deleted_local_modified',
    resolution: fate === 'manual' ? 'manual' : fate,
    ...(fate === 'keep_st' ? { delete: true } : {}),
  };
}

/**
 * The deletion sweep of a full sync: every live local row of the entity whose ST id the sync never
 * saw and that ServiceTitan confirmed gone (`gone`) is soft-deleted, unless it carries a local
 * edit, which becomes an `st_deleted_local_modified` conflict (or is settled by the sync's
 * `resolveConflicts`). Refuses, writing nothing, when more than `maxDeleteShare` of the live rows
 * would go and the sync did not say `allowMassDelete`: the brake counts confirmed deletions only.
 *
 * @example
 * const result = await sweep({ em, tenantId, sync, entity: 'materials', maxDeleteShare: 0.5, causationId, gone });
 * if (result.refused) failSync(…);
 */
export async function sweep(input: SweepInput): Promise<SweepResult> {
  const options = readSyncOptions(input.sync.options);
  if (input.gone.size === 0) return { counters: {}, events: [] };
  const counts = await countGone(input);
  if (counts.missing === 0) return { counters: {}, events: [] };
  if (counts.missing > input.maxDeleteShare * counts.live && !options.allowMassDelete) {
    return { refused: counts };
  }
  const candidates = await loadGone(input);
  const fates = new Map<Candidate, Fate>();
  for (const c of candidates) {
    const localEdit = c.sync_status !== 'synced' || c.has_conflict;
    fates.set(
      c,
      !localEdit ? 'delete' : options.resolveConflicts === 'manual' ? 'manual' : options.resolveConflicts,
    );
  }
  const events = input.sync.dry_run ? [] : await writeSweep(input, fates);
  const items: LedgerItem[] = [...fates].map(([c, fate]) => ({
    item_key: c.st_id,
    action: fate === 'delete' ? 'delete' : 'conflict',
    record_id: c.id,
    st_id: Number(c.st_id),
    detail: input.sync.dry_run ? planOf(fate) : null,
  }));
  const fresh = await insertLedger(input.em, input.sync.id, input.entity, items);
  return { counters: countersOf(fresh), events };
}
