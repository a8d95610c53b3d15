import { changeSetOf, type EntityManager, type OutboxInsert, type WriteContext } from '@pricebook/db';
import { query } from '../sql/query';

const conflictEventTypes = new Set(['record.conflicted', 'record.resolved']);

const keyOf = (tenantId: string, entity: unknown, recordId: unknown) => `${tenantId}:${entity}:${recordId}`;

/**
 * The conflict events of `events` with `changeSetId` added where the change-set the writes of `ctx`
 * join holds a change of the event's record: a conflict settled by writing its row is part of that
 * change-set, and `GET /api/changesets/{id}` lists the write. A conflict that changed no row (one
 * queued for a person, a settlement that left the row as it was) belongs to no change-set, so its
 * event names none. Call it in the transaction that wrote the rows, after the writes.
 *
 * @example
 * await insertOutbox(em, await withChangeSet(em, { origin: 'st', syncLogId: sync.id }, events));
 */
export async function withChangeSet(
  em: EntityManager,
  ctx: WriteContext,
  events: readonly OutboxInsert[],
): Promise<OutboxInsert[]> {
  const changeSet = changeSetOf(ctx);
  const asked = events.filter((e) => conflictEventTypes.has(e.event_type));
  if (!changeSet || asked.length === 0) return [...events];
  const records = asked.map((e) => ({
    tenant_id: e.tenant_id,
    entity: e.payload.entity,
    record_id: e.payload.recordId,
  }));
  // Through the audit index (tenant, entity, record), not through every change of a large sync.
  const found = await query<{ tenant_id: string; entity_type: string; record_id: string }>(
    em,
    `select distinct c.tenant_id::text as tenant_id, c.entity_type, c.record_id::text as record_id
       from jsonb_to_recordset(?::jsonb) as r(tenant_id bigint, entity text, record_id uuid)
       join pricebook_changes c
         on c.tenant_id = r.tenant_id and c.entity_type = r.entity and c.record_id = r.record_id
      where c.changeset_id = ?`,
    [JSON.stringify(records), changeSet.id],
  );
  const inChangeSet = new Set(found.map((f) => keyOf(f.tenant_id, f.entity_type, f.record_id)));
  return events.map((e) =>
    conflictEventTypes.has(e.event_type) &&
    inChangeSet.has(keyOf(e.tenant_id, e.payload.entity, e.payload.recordId))
      ? { ...e, payload: { ...e.payload, changeSetId: changeSet.id } }
      : e,
  );
}
