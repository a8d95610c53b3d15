import { randomUUID } from 'node:crypto';
import {
  type ChangeOperation,
  type ChangeSetKind,
  catalog,
  type EntityType,
  entityTables,
  entityTypes,
  REVERT_MAX_CHANGES,
  type RevertResponse,
  subjectFor,
} from '@pricebook/contracts';
import { type EntityManager, insertOutbox, isInConflict, type Orm, setWriteContext } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import { pgArray } from '../queries/values';
import { type CurrentRow, type LaterChange, planRevert, type RevertWrite, type SetChange } from './plan';

type Json = Record<string, unknown>;

export interface RevertInput {
  tenantId: string;
  changeSetId: string;
  dryRun: boolean;
  actor: string;
}

interface TargetRow {
  kind: ChangeSetKind;
  reverted_by_changeset_id: string | null;
}

/** Locks the change-set (a second revert waits here, then sees the first one's link). */
async function lockTarget(em: EntityManager, input: RevertInput): Promise<TargetRow> {
  const [target] = await em.execute<TargetRow[]>(
    `select kind, reverted_by_changeset_id from pricebook_changesets where id = ? and tenant_id = ? for update`,
    [input.changeSetId, input.tenantId],
  );
  if (!target) throw new AppError('not_found', `no change-set ${input.changeSetId}`);
  if (target.reverted_by_changeset_id !== null) {
    throw new AppError(
      'conflict',
      `change-set ${input.changeSetId} was already reverted by ${target.reverted_by_changeset_id}`,
      { details: { revertedByChangeSetId: target.reverted_by_changeset_id } },
    );
  }
  return target;
}

interface ChangeRow {
  entity_type: EntityType;
  record_id: string;
  st_id: string | null;
  seq: string;
  operation: ChangeOperation;
  before: Json | null;
  after: Json | null;
  changed_fields: string[];
}

async function setChanges(em: EntityManager, input: RevertInput): Promise<SetChange[]> {
  const rows = await em.execute<ChangeRow[]>(
    `select entity_type, record_id, st_id::text as st_id, seq::text as seq, operation, before, after, changed_fields
       from pricebook_changes where changeset_id = ? and tenant_id = ? order by seq limit ?`,
    [input.changeSetId, input.tenantId, REVERT_MAX_CHANGES + 1],
  );
  if (rows.length > REVERT_MAX_CHANGES) {
    throw new AppError(
      'conflict',
      `change-set ${input.changeSetId} holds more than ${REVERT_MAX_CHANGES} changes; a revert takes at most that many`,
    );
  }
  return rows.map((r) => ({
    entity: r.entity_type,
    recordId: r.record_id,
    stId: r.st_id === null ? null : Number(r.st_id),
    seq: BigInt(r.seq),
    operation: r.operation,
    before: r.before,
    after: r.after,
    changedFields: r.changed_fields,
  }));
}

/** The last `seq` of the change-set on each record. */
function lastSeqs(
  changes: readonly SetChange[],
): Map<string, { entity: EntityType; recordId: string; seq: bigint }> {
  const out = new Map<string, { entity: EntityType; recordId: string; seq: bigint }>();
  for (const c of changes)
    out.set(`${c.entity}:${c.recordId}`, { entity: c.entity, recordId: c.recordId, seq: c.seq });
  return out;
}

async function laterChanges(
  em: EntityManager,
  input: RevertInput,
  changes: readonly SetChange[],
): Promise<LaterChange[]> {
  const last = [...lastSeqs(changes).values()];
  if (last.length === 0) return [];
  // One range of pricebook_changes_record_idx per record: its audit rows after the change-set's last.
  const rows = await em.execute<
    Array<{
      id: string;
      entity_type: EntityType;
      record_id: string;
      operation: ChangeOperation;
      changed_fields: string[];
      actor: string | null;
    }>
  >(
    `select c.id, c.entity_type, c.record_id, c.operation, c.changed_fields, c.actor
       from unnest(?::text[], ?::uuid[], ?::bigint[]) as t(entity_type, record_id, seq)
       join pricebook_changes c on c.tenant_id = ? and c.entity_type = t.entity_type
        and c.record_id = t.record_id and c.seq > t.seq
      where c.changeset_id is distinct from ?
      order by c.seq`,
    [
      pgArray(last.map((l) => l.entity)),
      pgArray(last.map((l) => l.recordId)),
      pgArray(last.map((l) => l.seq.toString())),
      input.tenantId,
      input.changeSetId,
    ],
  );
  return rows.map((r) => ({
    id: r.id,
    entity: r.entity_type,
    recordId: r.record_id,
    operation: r.operation,
    changedFields: r.changed_fields,
    actor: r.actor,
  }));
}

async function currentRows(
  em: EntityManager,
  input: RevertInput,
  changes: readonly SetChange[],
  lock: boolean,
): Promise<Map<string, CurrentRow>> {
  const out = new Map<string, CurrentRow>();
  for (const entity of entityTypes) {
    const ids = [...new Set(changes.filter((c) => c.entity === entity).map((c) => c.recordId))];
    if (ids.length === 0) continue;
    const rows = await em.execute<
      Array<{
        id: string;
        st_id: string | null;
        sync_status: string;
        has_conflict: boolean;
        deleted_at: unknown;
        version: number;
        data: Json;
      }>
    >(
      `select id, st_id::text as st_id, sync_status, has_conflict, deleted_at, version, data
         from ${entityTables[entity]} where tenant_id = ? and id = any(?::uuid[]) order by id${lock ? ' for update' : ''}`,
      [input.tenantId, pgArray(ids)],
    );
    for (const r of rows) {
      out.set(`${entity}:${r.id}`, {
        entity,
        id: r.id,
        stId: r.st_id === null ? null : Number(r.st_id),
        inConflict: isInConflict({ syncStatus: r.sync_status, hasConflict: r.has_conflict }),
        deleted: r.deleted_at !== null,
        version: r.version,
        data: r.data,
      });
    }
  }
  return out;
}

async function write(em: EntityManager, w: RevertWrite): Promise<void> {
  const table = entityTables[w.row.entity];
  const assignment =
    w.action === 'delete'
      ? 'deleted_at = now()'
      : `data = (data - ?::text[]) || ?::jsonb${w.action === 'restore' ? ', deleted_at = null' : ''}`;
  const params = w.action === 'delete' ? [] : [pgArray(w.unset), JSON.stringify(w.set)];
  const rows = await em.execute<Array<{ id: string }>>(
    `update ${table} set ${assignment} where id = ? and version = ? returning id`,
    [...params, w.row.id, w.row.version],
  );
  // The row is locked, so this only happens if something bypassed the lock; never write blind.
  if (rows.length === 0) {
    throw new AppError('conflict', `${w.row.entity} record ${w.row.id} changed meanwhile: try again`, {
      retry: true,
    });
  }
}

/**
 * Reverts a change-set, or (dry run) says exactly what a revert would do: the same plan from the
 * same reads, in one transaction that the dry run writes nothing in. A real revert writes the
 * before-values back as local edits (origin `revert`, the caller as actor) in a new change-set of
 * kind `revert` linked both ways, and announces `changeset.reverted`; the rows become
 * `pending_sync`, so the next push sends them to ServiceTitan under the push brake. A change-set
 * is reverted once: a second revert is refused (409).
 *
 * @example
 * const result = await revertChangeSet(orm, { tenantId: '1001', changeSetId, dryRun: false, actor: 'api:ops' });
 */
export async function revertChangeSet(orm: Orm, input: RevertInput): Promise<RevertResponse> {
  return orm.em.fork().transactional(async (em) => {
    const target = await lockTarget(em, input);
    const changes = await setChanges(em, input);
    const current = await currentRows(em, input, changes, !input.dryRun);
    const later = await laterChanges(em, input, changes);
    const plan = planRevert(changes, later, current);
    const answer = { reverted: plan.reverted, skipped: plan.skipped, revertsChangeSetId: input.changeSetId };
    if (input.dryRun) return { success: true as const, dryRun: true, changeSetId: null, ...answer };

    const changeSetId = randomUUID();
    await em.execute(
      `insert into pricebook_changesets (id, tenant_id, kind, actor, reverts_changeset_id) values (?, ?, 'revert', ?, ?)`,
      [changeSetId, input.tenantId, input.actor, input.changeSetId],
    );
    await em.execute(`update pricebook_changesets set reverted_by_changeset_id = ? where id = ?`, [
      changeSetId,
      input.changeSetId,
    ]);
    await setWriteContext(em, {
      origin: 'revert',
      actor: input.actor,
      changeSet: { id: changeSetId, kind: 'revert' },
    });
    for (const w of plan.writes) await write(em, w);
    await insertOutbox(em, [
      {
        tenant_id: input.tenantId,
        subject: subjectFor('changeset.reverted', { tenant: input.tenantId }),
        event_type: 'changeset.reverted',
        // Checked now, so a bad payload fails this transaction rather than the relay.
        payload: catalog['changeset.reverted'].data.parse({
          changeSetId,
          revertsChangeSetId: input.changeSetId,
          revertedKind: target.kind,
          actor: input.actor,
          reverted: plan.reverted.length,
          skipped: plan.skipped.length,
          entityTypes: [...new Set(plan.reverted.map((r) => r.entity))].sort(),
        }),
        correlation_id: changeSetId,
        causation_id: null,
      },
    ]);
    return { success: true as const, dryRun: false, changeSetId, ...answer };
  });
}
