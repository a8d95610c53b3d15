import { randomUUID } from 'node:crypto';
import type { ChangeOrigin } from '@pricebook/contracts';
import { withWriteContext } from '@pricebook/db';
import type { Harness } from './index';

/** A sync log row of the tenant (a finished incremental sync), for changes to point at. */
export async function insertSyncLog(h: Harness, tenantId: string): Promise<string> {
  const id = randomUUID();
  await h.sql(
    `insert into pricebook_sync_log (id, tenant_id, sync_type, direction, status)
     values (?, ?, 'incremental', 'from_st', 'completed')`,
    [id, tenantId],
  );
  return id;
}

export interface EngineWrite {
  origin: ChangeOrigin;
  syncLogId?: string | null;
  actor?: string | null;
}

/**
 * Changes material rows' records as the engine does (the applier marks its transaction with
 * origin, sync and actor), so the triggers write the audit rows a sync would. All rows change in
 * one statement, so their audit rows share one `created_at`.
 *
 * @example
 * await engineWrite(h, [id], { price: 15 }, { origin: 'st', syncLogId, actor: 'applier' });
 */
export async function engineWrite(
  h: Harness,
  ids: string[],
  fields: Record<string, unknown>,
  ctx: EngineWrite,
): Promise<void> {
  await withWriteContext(h.orm, ctx, (em) =>
    em.execute(`update pricebook_materials set data = data || ?::jsonb where id = any(?::uuid[])`, [
      JSON.stringify(fields),
      `{${ids.join(',')}}`,
    ]),
  );
}
