import type { Tenant } from '../store/tenant';
import type { Entity } from '../store/types';

/** An edit a ServiceTitan user makes while a client pages through an export feed. */
export interface ExportEdit {
  id: number;
  /** PATCH fields, validated like any user edit when they are applied. */
  fields: Record<string, unknown>;
  /** Export pages of the entity still to be served before the edit is made (≥ 1). */
  pagesLeft: number;
}

// Per tenant instance: a reset or a removed tenant drops its pending edits with it.
const pending = new WeakMap<Tenant, Map<Entity, ExportEdit[]>>();

/**
 * Arms an edit to be made right after the `afterPages`-th export page of `entity` served from
 * now on (whoever asks for it), as if someone saved the item in ServiceTitan while a client was
 * paging: the item moves to the end of the feed with a new `modifiedOn`, so a client that
 * already read it meets it again, newer, later in the same run.
 *
 * @example
 * armExportEdit(tenant, 'materials', { id: 20000123, fields: { price: 22 }, pagesLeft: 1 });
 */
export function armExportEdit(tenant: Tenant, entity: Entity, edit: ExportEdit): number {
  let byEntity = pending.get(tenant);
  if (!byEntity) {
    byEntity = new Map();
    pending.set(tenant, byEntity);
  }
  const list = [...(byEntity.get(entity) ?? []), edit];
  byEntity.set(entity, list);
  return list.length;
}

/**
 * Counts one served export page of `entity` and returns the edits now due (removed from the
 * pending list); the caller applies them after the page has been built.
 */
export function exportPageServed(tenant: Tenant, entity: Entity): ExportEdit[] {
  const list = pending.get(tenant)?.get(entity);
  if (!list || list.length === 0) return [];
  const due: ExportEdit[] = [];
  const left: ExportEdit[] = [];
  for (const edit of list) {
    const next = { ...edit, pagesLeft: edit.pagesLeft - 1 };
    (next.pagesLeft <= 0 ? due : left).push(next);
  }
  pending.get(tenant)?.set(entity, left);
  return due;
}
