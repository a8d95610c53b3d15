import { notFound } from '../problem';
import type { Tenant } from '../store/tenant';
import { type AnyRecord, type Entity, entityLabels, type Stored } from '../store/types';
import { applyFields, newScope, throwIfErrors } from './apply';
import { newRecord } from './defaults';
import { externalOnCreate, externalOnUpdate } from './external-data';
import { type ExternalDataCreate, type ExternalDataUpdate, requestSchema } from './schemas';
import { parseOrThrow } from './validate';

/** Validates and stores a new record from a create request body, written at `nowMs`. */
export function createItem(tenant: Tenant, entity: Entity, body: unknown, nowMs: number): Stored<AnyRecord> {
  const fields = parseOrThrow(requestSchema(entity, 'create'), body);
  const scope = newScope(tenant);
  const record = newRecord(entity, 0);
  applyFields(scope, entity, record, fields);
  throwIfErrors(scope);
  record.id = tenant.newId();
  const external = externalOnCreate(fields.externalData as ExternalDataCreate | null | undefined);
  return tenant.anyStore(entity).insert(record, tenant.stamps.next(nowMs), external);
}

/** Applies a PATCH body to a live record; nothing changes if the body is rejected. */
export function updateItem(
  tenant: Tenant,
  entity: Entity,
  id: number,
  body: unknown,
  nowMs: number,
): Stored<AnyRecord> {
  const store = tenant.anyStore(entity);
  const item = store.getLive(id);
  if (!item) throw notFound(entityLabels[entity], id);
  const fields = parseOrThrow(requestSchema(entity, 'update'), body);
  const scope = newScope(tenant);
  const draft = { ...item.data };
  applyFields(scope, entity, draft, fields);
  throwIfErrors(scope);
  const oldCode = 'code' in item.data ? item.data.code : undefined;
  item.data = draft;
  item.external = externalOnUpdate(
    item.external,
    fields.externalData as ExternalDataUpdate | null | undefined,
  );
  store.touch(item, tenant.stamps.next(nowMs), oldCode);
  return item;
}

export function deleteItem(tenant: Tenant, entity: Entity, id: number, nowMs: number): Stored<AnyRecord> {
  const store = tenant.anyStore(entity);
  const item = store.getLive(id);
  if (!item) throw notFound(entityLabels[entity], id);
  store.remove(item, tenant.stamps.next(nowMs));
  return item;
}

/**
 * One edit applied to many records at one instant, as a ServiceTitan user's mass edit: all
 * or nothing, and every record gets the same `modifiedOn`.
 */
export function updateMany(
  tenant: Tenant,
  entity: Entity,
  ids: number[],
  body: unknown,
  nowMs: number,
): Stored<AnyRecord>[] {
  const store = tenant.anyStore(entity);
  const fields = parseOrThrow(requestSchema(entity, 'update'), body);
  const scope = newScope(tenant);
  const targets = [...new Set(ids)].map((id) => {
    const item = store.getLive(id);
    if (!item) throw notFound(entityLabels[entity], id);
    const draft = { ...item.data };
    scope.pending.set(id, { entity, data: draft });
    return { item, draft };
  });
  for (const t of targets) applyFields(scope, entity, t.draft, fields);
  throwIfErrors(scope);
  const stamp = tenant.stamps.next(nowMs);
  for (const { item, draft } of targets) {
    const oldCode = 'code' in item.data ? item.data.code : undefined;
    item.data = draft;
    item.external = externalOnUpdate(
      item.external,
      fields.externalData as ExternalDataUpdate | null | undefined,
    );
    store.touch(item, stamp, oldCode);
  }
  return targets.map((t) => t.item);
}
