import {
  type EntityType,
  entityDescriptor,
  entityTables,
  type PricebookListQuery,
  parseStIdText,
} from '@pricebook/contracts';
import {
  type EntityManager,
  findLocalRow,
  type LocalRow,
  localRowColumns,
  type RecordRef,
  toLocalRow,
} from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import { cursorParts, decodeCursor, keysetPage } from './values';

/**
 * The `{id}` path segment as a row reference: a uuid, or `st:<stId>` with an id in the range
 * ST ids have (`parseStIdText`); anything else names no row.
 *
 * @example
 * recordRef('st:48213'); // { stId: 48213 }
 */
export function recordRef(value: string): RecordRef | undefined {
  if (value.startsWith('st:')) {
    const stId = parseStIdText(value.slice(3));
    return stId === undefined ? undefined : { stId };
  }
  return cursorParts.uuid(value) ? { id: value.toLowerCase() } : undefined;
}

/**
 * One row of the tenant by `{id}` (deleted rows included), or a 404.
 *
 * @example
 * const row = await getPricebookRow(em, '1001', 'materials', 'st:48213');
 */
export async function getPricebookRow(
  em: EntityManager,
  tenantId: string,
  entity: EntityType,
  id: string,
): Promise<LocalRow> {
  const ref = recordRef(id);
  const row = ref ? await findLocalRow(em, tenantId, entity, ref) : undefined;
  if (!row) throw new AppError('not_found', `no ${entity} record ${id}`);
  return row;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A page of the tenant's rows of one entity, filtered, in `id` order: keyset paging on the
 * primary key never skips or repeats a row, whatever is written meanwhile.
 *
 * @example
 * const { items, nextCursor } = await listPricebook(em, '1001', 'materials', { limit: 50, search: 'copper' });
 */
export async function listPricebook(
  em: EntityManager,
  tenantId: string,
  entity: EntityType,
  query: PricebookListQuery,
): Promise<{ items: LocalRow[]; nextCursor: string | null }> {
  const where = ['tenant_id = ?'];
  const params: unknown[] = [tenantId];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  // The registry names the columns: `search` looks in a category's name, a SKU's code and
  // display name; `categoryId` is a category's parent and a SKU's category list.
  const { searchColumns, categoryFilter } = entityDescriptor(entity);
  if (!query.includeDeleted) where.push('deleted_at is null');
  if (query.search !== undefined) {
    add(
      `(${searchColumns.map((c) => `${c} ilike ?`).join(' or ')})`,
      ...searchColumns.map(() => likePattern(query.search ?? '')),
    );
  }
  if (query.categoryId !== undefined) {
    if (categoryFilter.many) add(`? = any(${categoryFilter.column})`, query.categoryId);
    else add(`${categoryFilter.column} = ?`, query.categoryId);
  }
  if (query.active !== undefined) add('active = ?', query.active);
  if (query.syncStatus !== undefined) add('sync_status = ?', query.syncStatus);
  if (query.hasConflict !== undefined) add('has_conflict = ?', query.hasConflict);
  if (query.modifiedSince !== undefined) add('updated_at >= ?::timestamptz', query.modifiedSince);
  if (query.cursor !== undefined) {
    const [after] = decodeCursor(query.cursor, [cursorParts.uuid], 'cursor');
    add('id > ?::uuid', after);
  }
  // One row more than asked tells whether another page exists.
  params.push(query.limit + 1);
  const rows = await em.execute<Parameters<typeof toLocalRow>[0][]>(
    `select ${localRowColumns} from ${entityTables[entity]} where ${where.join(' and ')} order by id limit ?`,
    params,
  );
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.id]);
  return { items: items.map(toLocalRow), nextCursor };
}
