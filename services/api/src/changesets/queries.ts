import type {
  ChangeSet,
  ChangeSetKind,
  ChangeSetQuery,
  ChangeSetsQuery,
  EntityType,
  PricebookChange,
} from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import { type ChangeRow, changeColumns, toChange } from '../queries/changes';
import { cursorParts, decodeCursor, iso, keysetPage, timestampKey } from '../queries/values';

interface ChangeSetRow {
  id: string;
  kind: ChangeSetKind;
  actor: string | null;
  created_at: string | Date;
  created_key: string;
  reverts_changeset_id: string | null;
  reverted_by_changeset_id: string | null;
  entity_types: EntityType[] | null;
  changes: string;
  records: string;
  created: string;
  updated: string;
  deleted: string;
  restored: string;
}

// The counts come from the change-set's audit rows (one range of pricebook_changes_changeset_idx):
// a sync's change-set is written by many transactions at once, which a counter row would serialize.
const columns = `s.id, s.kind, s.actor, s.created_at, ${timestampKey('s.created_at')} as created_key,
  s.reverts_changeset_id, s.reverted_by_changeset_id, n.entity_types, n.changes, n.records, n.created,
  n.updated, n.deleted, n.restored`;
const counts = `left join lateral (
    select array_agg(distinct c.entity_type order by c.entity_type) as entity_types,
      count(*)::text as changes, count(distinct c.record_id)::text as records,
      count(*) filter (where c.operation = 'create')::text as created,
      count(*) filter (where c.operation = 'update')::text as updated,
      count(*) filter (where c.operation = 'delete')::text as deleted,
      count(*) filter (where c.operation = 'restore')::text as restored
    from pricebook_changes c where c.changeset_id = s.id
  ) n on true`;

function toChangeSet(row: ChangeSetRow): ChangeSet {
  return {
    id: row.id,
    kind: row.kind,
    actor: row.actor,
    createdAt: iso(row.created_at),
    entityTypes: row.entity_types ?? [],
    counts: {
      changes: Number(row.changes),
      records: Number(row.records),
      created: Number(row.created),
      updated: Number(row.updated),
      deleted: Number(row.deleted),
      restored: Number(row.restored),
    },
    revertsChangeSetId: row.reverts_changeset_id,
    revertedByChangeSetId: row.reverted_by_changeset_id,
  };
}

/**
 * A page of the tenant's change-sets, newest first by `(created_at, id)`, filtered.
 *
 * @example
 * const { changeSets, nextCursor } = await listChangeSets(em, '1001', { limit: 50, kind: 'bulk_edit' });
 */
export async function listChangeSets(
  em: EntityManager,
  tenantId: string,
  query: ChangeSetsQuery,
): Promise<{ changeSets: ChangeSet[]; nextCursor: string | null }> {
  const where = ['s.tenant_id = ?'];
  const params: unknown[] = [tenantId];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (query.kind !== undefined) add('s.kind = ?', query.kind);
  if (query.actor !== undefined) add('s.actor = ?', query.actor);
  if (query.since !== undefined) add('s.created_at >= ?::timestamptz', query.since);
  if (query.until !== undefined) add('s.created_at < ?::timestamptz', query.until);
  if (query.entity !== undefined) {
    add(
      'exists (select 1 from pricebook_changes e where e.changeset_id = s.id and e.entity_type = ?)',
      query.entity,
    );
  }
  if (query.cursor !== undefined) {
    const key = decodeCursor(query.cursor, [cursorParts.timestamp, cursorParts.uuid], 'cursor');
    add('(s.created_at, s.id) < (?::timestamptz, ?::uuid)', ...key);
  }
  params.push(query.limit + 1);
  const rows = await em.execute<ChangeSetRow[]>(
    `select ${columns} from (
       select * from pricebook_changesets s where ${where.join(' and ')}
       order by s.created_at desc, s.id desc limit ?
     ) s ${counts} order by s.created_at desc, s.id desc`,
    params,
  );
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.created_key, r.id]);
  return { changeSets: items.map(toChangeSet), nextCursor };
}

/**
 * One change-set of the tenant, or a 404 (another tenant's is not found either).
 *
 * @example
 * const changeSet = await getChangeSet(em, '1001', id);
 */
export async function getChangeSet(em: EntityManager, tenantId: string, id: string): Promise<ChangeSet> {
  const [row] = await em.execute<ChangeSetRow[]>(
    `select ${columns} from pricebook_changesets s ${counts} where s.id = ? and s.tenant_id = ?`,
    [id, tenantId],
  );
  if (!row) throw new AppError('not_found', `no change-set ${id}`);
  return toChangeSet(row);
}

/**
 * A page of one change-set's changes in the order they were made (by `seq`).
 *
 * @example
 * const { changes, nextCursor } = await listChangeSetChanges(em, '1001', id, { limit: 50 });
 */
export async function listChangeSetChanges(
  em: EntityManager,
  tenantId: string,
  changeSetId: string,
  query: ChangeSetQuery,
): Promise<{ changes: PricebookChange[]; nextCursor: string | null }> {
  const where = ['changeset_id = ?', 'tenant_id = ?'];
  const params: unknown[] = [changeSetId, tenantId];
  if (query.cursor !== undefined) {
    const [seq] = decodeCursor(query.cursor, [cursorParts.seq], 'cursor');
    where.push('seq > ?::bigint');
    params.push(seq);
  }
  params.push(query.limit + 1);
  const rows = await em.execute<ChangeRow[]>(
    `select ${changeColumns} from pricebook_changes where ${where.join(' and ')} order by seq limit ?`,
    params,
  );
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.seq_key]);
  return { changes: items.map(toChange), nextCursor };
}
