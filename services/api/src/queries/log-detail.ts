import type { EntityType, LogDetailResponse, SyncItemAction } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { createdCursor, cursorParts, decodeCursor, iso, keysetPage, num, timestampKey } from './values';

type Errors = LogDetailResponse['errors'];
type Plan = NonNullable<LogDetailResponse['plan']>;

interface QuarantineRow {
  id: string;
  entity_type: EntityType;
  st_id: string | null;
  reason: string;
  created_at: string | Date;
  created_key: string;
}

interface PlanRow {
  entity_type: EntityType;
  item_key: string;
  action: SyncItemAction;
  record_id: string | null;
  st_id: string | null;
  detail: Record<string, unknown> | null;
}

const total = async (em: EntityManager, sql: string, params: unknown[]) => {
  const [row] = await em.execute<{ n: string }[]>(sql, params);
  return Number(row?.n ?? 0);
};

/**
 * The records a sync quarantined (its `errors`), oldest first, one page.
 *
 * @example
 * const errors = await quarantinePage(em, '1001', syncLogId, { limit: 50 });
 */
export async function quarantinePage(
  em: EntityManager,
  tenantId: string,
  syncLogId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Errors> {
  const where = 'tenant_id = ? and sync_log_id = ?';
  const params: unknown[] = [tenantId, syncLogId];
  let after = '';
  if (page.cursor !== undefined) {
    const past = createdCursor(page.cursor, '>', 'errorsCursor');
    after = ` and ${past.sql}`;
    params.push(...past.params);
  }
  const rows = await em.execute<QuarantineRow[]>(
    `select id, entity_type, st_id::text as st_id, reason, created_at, ${timestampKey('created_at')} as created_key
       from pricebook_quarantine where ${where}${after}
      order by created_at, id limit ?`,
    [...params, page.limit + 1],
  );
  const { items, nextCursor } = keysetPage(rows, page.limit, (r) => [r.created_key, r.id]);
  return {
    total: await total(em, `select count(*) as n from pricebook_quarantine where ${where}`, [
      tenantId,
      syncLogId,
    ]),
    items: items.map((r) => ({
      id: r.id,
      entityType: r.entity_type,
      stId: num(r.st_id),
      reason: r.reason,
      createdAt: iso(r.created_at),
    })),
    page: { limit: page.limit, nextCursor },
  };
}

/**
 * One page of a dry run's plan: its ledger rows with their field diffs, in ledger key order.
 * The ledger is keyed by sync log id alone (the log was already checked to be the tenant's).
 *
 * @example
 * const plan = await planPage(em, syncLogId, { limit: 50, action: 'update' });
 */
export async function planPage(
  em: EntityManager,
  syncLogId: string,
  page: { limit: number; cursor?: string | undefined; action?: SyncItemAction | undefined },
): Promise<Plan> {
  let where = 'sync_log_id = ?';
  const params: unknown[] = [syncLogId];
  if (page.action) {
    where += ' and action = ?';
    params.push(page.action);
  }
  const filter = [...params];
  let after = '';
  if (page.cursor !== undefined) {
    const [entityType, itemKey] = decodeCursor(
      page.cursor,
      [cursorParts.text, cursorParts.text],
      'planCursor',
    );
    after = ' and (entity_type, item_key) > (?, ?)';
    params.push(entityType, itemKey);
  }
  const rows = await em.execute<PlanRow[]>(
    `select entity_type, item_key, action, record_id, st_id::text as st_id, detail
       from pricebook_sync_items where ${where}${after}
      order by entity_type, item_key limit ?`,
    [...params, page.limit + 1],
  );
  const { items, nextCursor } = keysetPage(rows, page.limit, (r) => [r.entity_type, r.item_key]);
  return {
    total: await total(em, `select count(*) as n from pricebook_sync_items where ${where}`, filter),
    items: items.map((r) => ({
      entityType: r.entity_type,
      itemKey: r.item_key,
      action: r.action,
      recordId: r.record_id,
      stId: num(r.st_id),
      detail: r.detail,
    })),
    page: { limit: page.limit, nextCursor },
  };
}
