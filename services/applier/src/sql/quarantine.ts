import type { EntityType } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { run } from './query';

export interface QuarantineInput {
  st_id: number | null;
  /** The record as ST sent it. */
  raw: unknown;
  reason: string;
}

/**
 * Keeps ST records that could not be used, for inspection (they are counted in `errors`).
 *
 * @example
 * await insertQuarantine(em, { tenantId, syncLogId, entity: 'materials' }, [{ st_id: 7, raw, reason }]);
 */
export async function insertQuarantine(
  em: EntityManager,
  scope: { tenantId: string; syncLogId: string; entity: EntityType },
  items: readonly QuarantineInput[],
): Promise<void> {
  if (items.length === 0) return;
  await run(
    em,
    `insert into pricebook_quarantine (tenant_id, sync_log_id, entity_type, st_id, raw, reason)
     select ?, ?, ?, r.st_id, coalesce(r.raw, 'null'::jsonb), r.reason
       from jsonb_to_recordset(?::jsonb) as r(st_id bigint, raw jsonb, reason text)`,
    [scope.tenantId, scope.syncLogId, scope.entity, JSON.stringify(items)],
  );
}
