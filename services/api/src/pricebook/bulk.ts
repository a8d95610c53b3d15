import { randomUUID } from 'node:crypto';
import { type BulkEditItem, checkStEdit, type EntityType } from '@pricebook/contracts';
import {
  applyLocalEdit,
  type ChangeSetRef,
  type EntityManager,
  type LocalRow,
  type Orm,
} from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { FieldError } from '../errors/handle-error';
import { fieldErrors } from '../errors/handle-error';
import { recordRef } from '../queries/pricebook';

export interface BulkEditInput {
  tenantId: string;
  entity: EntityType;
  actor: string;
  items: readonly BulkEditItem[];
}

export interface BulkEditResult {
  changeSetId: string | null;
  changed: number;
  items: LocalRow[];
}

/**
 * Every problem of the body at once: a bad id, a repeated row, a field the update schema refuses.
 * The assistant's proposals are checked by the same rules when they are drafted.
 */
export function checkBulkItems(entity: EntityType, items: readonly BulkEditItem[]): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const ref = recordRef(item.id);
    if (!ref) errors.push({ path: `items.${i}.id`, in: 'body', message: 'expected a uuid or st:<stId>' });
    else {
      const key = 'id' in ref ? ref.id : `st:${ref.stId}`;
      if (seen.has(key))
        errors.push({ path: `items.${i}.id`, in: 'body', message: 'the row is already in the list' });
      seen.add(key);
    }
    const checked = checkStEdit(entity, 'update', item.fields);
    if (!checked.ok) {
      for (const p of checked.problems) {
        errors.push({ path: `items.${i}.fields.${p.path}`, in: 'body', message: p.message });
      }
    }
  });
  if (errors.length > 0) throw fieldErrors(errors, 'the bulk edit is not valid');
}

/**
 * Applies a list of updates to one entity's rows, all or nothing, in one transaction that is one
 * change-set (kind `bulk_edit`, revertable as a whole). Each item is validated as a single PATCH
 * would be; any refusal (bad field, unknown or deleted row, row in conflict, stale `version`)
 * rolls the whole edit back and names the item. Items whose values the row already has write
 * nothing; a list that changes nothing makes no change-set.
 *
 * @example
 * await bulkEdit(orm, { tenantId: '1001', entity: 'materials', actor: 'api:ops',
 *   items: [{ id: 'st:48213', fields: { price: 44.5 } }] });
 */
export async function bulkEdit(orm: Orm, input: BulkEditInput): Promise<BulkEditResult> {
  checkBulkItems(input.entity, input.items);
  const changeSet = { id: randomUUID(), kind: 'bulk_edit' as const };
  return orm.em.fork().transactional((em) => applyBulkEdit(em, input, changeSet));
}

/**
 * The writes of a checked bulk edit inside the caller's transaction, as `changeSet`: the bulk
 * edit's own, or an assistant proposal's confirmation (kind `assistant`). A refusal names the item
 * and keeps its code, so the caller's transaction rolls back whole.
 */
export async function applyBulkEdit(
  em: EntityManager,
  input: BulkEditInput,
  changeSet: ChangeSetRef,
): Promise<BulkEditResult> {
  const items: LocalRow[] = [];
  let changed = 0;
  for (const [i, item] of input.items.entries()) {
    const ref = recordRef(item.id);
    if (!ref) throw new AppError('internal', 'a checked item lost its id');
    try {
      const result = await applyLocalEdit(em, {
        tenantId: input.tenantId,
        entity: input.entity,
        origin: 'local',
        actor: input.actor,
        changeSet,
        edit: {
          op: 'update',
          ref,
          record: item.fields,
          ...(item.version === undefined ? {} : { expectedVersion: item.version }),
        },
      });
      if (result.changed) changed += 1;
      items.push(result.row);
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'internal') throw err;
      throw new AppError(err.code, `items.${i} (${item.id}): ${err.message}`, {
        details: { ...err.details, item: i },
        retry: err.retry,
      });
    }
  }
  return { changeSetId: changed > 0 ? changeSet.id : null, changed, items };
}
