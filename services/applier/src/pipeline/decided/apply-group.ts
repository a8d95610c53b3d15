import type { EntityType, RecordDecidedData } from '@pricebook/contracts';
import type { OutboxInsert, SyncLogRow } from '@pricebook/db';
import { type EntityCounters, type EntityManager, type SyncItemAction, setWriteContext } from '@pricebook/db';
import type { Delivery } from '@pricebook/messaging';
import { withChangeSet } from '../../shared/conflict-change-set';
import { conflictEvent } from '../../shared/conflict-event';
import { openConflicts, recordResolvedConflicts } from '../../sql/conflicts';
import { accountedVersions, insertLedger, type NewLedgerItem } from '../../sql/ledger';
import { insertQuarantine } from '../../sql/quarantine';
import { loadRows } from '../../sql/rows';
import { insertRows, rewriteRows } from '../../sql/writes';
import {
  buildWrites,
  conflictFields,
  conflictOf,
  type Planned,
  resolvedConflictOf,
  settledData,
} from './build';
import { classify, ledgerVersionOf, needsRow, stDeleted } from './classify';
import { planOf } from './plan';

export interface GroupContext {
  em: EntityManager;
  tenantId: string;
  sync: SyncLogRow;
  entity: EntityType;
}

/** A decision whose row moved: it goes back to the comparator with the row's version now. */
export interface StaleDecision {
  delivery: Delivery<'record.decided'>;
  version: number;
}

export interface GroupResult {
  /** Counter increments from ledger rows this group added (none for a repeat). */
  counters: Partial<EntityCounters>;
  /** Newly accounted records by ledger action, for metrics; empty for a dry run (nothing applied). */
  actions: Partial<Record<SyncItemAction, number>>;
  stale: StaleDecision[];
  events: OutboxInsert[];
}

const ACTOR = 'applier';

/** The ledger key of a decision: the ST id, or the fetcher's key for a record too broken to have one. */
export function itemKeyOf(d: RecordDecidedData): string {
  return d.action === 'quarantine' ? (d.invalid?.key ?? `invalid:${d.stId}`) : String(d.stId);
}

const counterOf: Record<SyncItemAction, keyof EntityCounters> = {
  create: 'created',
  update: 'updated',
  merge: 'updated',
  delete: 'deleted',
  skip: 'skipped',
  conflict: 'conflicts',
  quarantine: 'errors',
};

/**
 * Counter increments of newly accounted records.
 *
 * @example
 * countersOf([{ itemKey: '1', action: 'create' }]); // { created: 1 }
 */
export function countersOf(items: readonly NewLedgerItem[]): Partial<EntityCounters> {
  const counters: Partial<EntityCounters> = {};
  for (const item of items) {
    const name = counterOf[item.action];
    counters[name] = (counters[name] ?? 0) + 1;
  }
  return counters;
}

/** Writes the rows of a group, each origin marked for the triggers; demotes writes that did not land. */
async function writeRows(ctx: GroupContext, planned: Planned[], recordIds: Map<Planned, string>) {
  const { em, entity, tenantId, sync } = ctx;
  const writes = buildWrites(planned);
  const written = new Set<string>();
  let inserted = new Map<number, string>();
  const mark = (origin: 'st' | 'merge' | 'resolution') =>
    setWriteContext(em, { origin, syncLogId: sync.id, actor: ACTOR });
  if (writes.creates.length > 0 || writes.st.length > 0) {
    await mark('st');
    inserted = await insertRows(em, entity, tenantId, writes.creates);
    for (const id of await rewriteRows(em, entity, writes.st)) written.add(id);
  }
  if (writes.merge.length > 0) {
    await mark('merge');
    for (const id of await rewriteRows(em, entity, writes.merge)) written.add(id);
  }
  if (writes.resolution.length > 0) {
    await mark('resolution');
    for (const id of await rewriteRows(em, entity, writes.resolution)) written.add(id);
  }
  for (const p of planned) {
    if (p.outcome.kind !== 'write') continue;
    if (p.outcome.op === 'create') {
      const id = inserted.get(p.decision.stId);
      // Another writer created the row after we looked: compare again rather than overwrite it.
      if (id) recordIds.set(p, id);
      else p.outcome = { kind: 'stale', version: 0, why: 'row_appeared' };
    } else if (!p.row || !written.has(p.row.id)) {
      p.outcome = { kind: 'stale', version: p.row?.version ?? 0, why: 'row_moved' };
    }
  }
}

/** Opens manual conflicts and records the ones the sync's strategy settled, with their events. */
async function writeConflicts(ctx: GroupContext, planned: Planned[]): Promise<OutboxInsert[]> {
  const { em, entity, tenantId, sync } = ctx;
  const scope = { tenantId, entity, syncLogId: sync.id };
  const manual: Array<Planned & { row: { id: string } }> = [];
  const settled: Array<Planned & { row: { id: string } }> = [];
  for (const p of planned) {
    if (p.outcome.kind !== 'write' || !p.row) continue;
    if (p.outcome.op === 'conflict') manual.push({ ...p, row: p.row });
    else if (p.outcome.op === 'keep_st' || p.outcome.op === 'keep_local') settled.push({ ...p, row: p.row });
  }
  const events: OutboxInsert[] = [];
  const opened = await openConflicts(
    em,
    scope,
    manual.map((p) => conflictOf(p, p.row.id)),
  );
  const resolved = await recordResolvedConflicts(
    em,
    scope,
    settled.map((p) => resolvedConflictOf(p, p.row.id, sync.id)),
  );
  const eventOf = (p: Planned & { row: { id: string } }, kind: 'conflicted' | 'resolved') => {
    const d = p.decision;
    const stored = (kind === 'conflicted' ? opened : resolved).get(p.row.id);
    if (!stored) return;
    const local = d.local ?? stored.localVersion;
    const stSide = stDeleted(d) ? null : (d.record ?? null);
    const settled = kind === 'resolved' && d.autoResolve ? settledData(d, d.autoResolve) : undefined;
    const after = settled ?? (kind === 'conflicted' || d.autoResolve === 'keep_st' ? stSide : local);
    events.push(
      conflictEvent(kind, {
        tenantId,
        entity,
        syncLogId: sync.id,
        recordId: p.row.id,
        stId: d.stId,
        conflictId: stored.id,
        conflictType: d.conflictType ?? 'both_modified',
        before: local,
        after,
        changedFields: conflictFields(d),
        causationId: p.delivery.message.id,
      }),
    );
  };
  for (const p of manual) eventOf(p, 'conflicted');
  for (const p of settled) eventOf(p, 'resolved');
  return withChangeSet(em, { origin: 'resolution', syncLogId: sync.id }, events);
}

/**
 * Applies the decisions of one (sync, entity) group inside the batch's transaction: judge each
 * against its locked row, write in bulk, account for each in the ledger, and keep quarantined
 * records. A dry run writes only ledger rows carrying the plan.
 *
 * @example
 * const { counters, stale, events } = await applyGroup({ em, tenantId, sync, entity }, deliveries);
 */
export async function applyGroup(
  ctx: GroupContext,
  deliveries: ReadonlyArray<Delivery<'record.decided'>>,
): Promise<GroupResult> {
  const { em, entity, tenantId, sync } = ctx;
  const dryRun = sync.dry_run;
  // The versions of these records this sync has already taken: a late older version is not
  // applied over a newer one, and a skip judged before another version moved its row is judged again.
  const seen = await accountedVersions(
    em,
    sync.id,
    entity,
    deliveries.map((d) => itemKeyOf(d.message.data)),
  );
  const accountedOf = (d: RecordDecidedData) => seen.get(itemKeyOf(d)) ?? [];
  const stIds = deliveries
    .filter((d) => needsRow(d.message.data, accountedOf(d.message.data)))
    .map((d) => d.message.data.stId);
  const rows = await loadRows(em, entity, tenantId, stIds, { lock: !dryRun, withData: dryRun });
  const planned: Planned[] = deliveries.map((delivery) => {
    const decision = delivery.message.data;
    const accounted = accountedOf(decision);
    const row = needsRow(decision, accounted) ? rows.get(decision.stId) : undefined;
    return { delivery, decision, row, outcome: classify(decision, row, accounted) };
  });

  const recordIds = new Map<Planned, string>();
  let events: OutboxInsert[] = [];
  if (!dryRun) {
    await writeRows(ctx, planned, recordIds);
    events = await writeConflicts(ctx, planned);
  }

  const stale: StaleDecision[] = [];
  const accounted: Planned[] = [];
  for (const p of planned) {
    if (p.outcome.kind === 'stale') stale.push({ delivery: p.delivery, version: p.outcome.version });
    else accounted.push(p);
  }
  const fresh = await insertLedger(
    em,
    sync.id,
    entity,
    accounted.map((p) => ({
      item_key: itemKeyOf(p.decision),
      action: p.outcome.kind === 'stale' ? 'skip' : p.outcome.ledger,
      record_id: recordIds.get(p) ?? p.row?.id ?? p.decision.recordId ?? null,
      st_id: p.decision.stId > 0 ? p.decision.stId : null,
      detail: dryRun ? planOf(p.decision, p.outcome, p.row) : null,
      version: ledgerVersionOf(p.decision),
    })),
  );

  if (!dryRun) {
    const freshQuarantine = new Set(fresh.filter((f) => f.action === 'quarantine').map((f) => f.itemKey));
    const quarantined = accounted.filter(
      (p) => p.decision.action === 'quarantine' && freshQuarantine.has(itemKeyOf(p.decision)),
    );
    await insertQuarantine(
      em,
      { tenantId, syncLogId: sync.id, entity },
      quarantined.map((p) => ({
        st_id: p.decision.stId > 0 ? p.decision.stId : null,
        raw: p.decision.record ?? null,
        reason: p.decision.invalid?.reason ?? 'invalid record',
      })),
    );
  }
  const actions: Partial<Record<SyncItemAction, number>> = {};
  if (!dryRun) for (const f of fresh) actions[f.action] = (actions[f.action] ?? 0) + 1;
  return { counters: countersOf(fresh), actions, stale, events };
}
