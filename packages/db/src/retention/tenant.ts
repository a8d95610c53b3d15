import { entityTables, entityTypes } from '@pricebook/contracts';
import type { Orm } from '../orm';
import { setWriteContext } from '../write-context';
import { countOf } from './batch';

/**
 * What a tenant leaves behind, in the order it is deleted: rows that refer to a sync before the
 * sync, the sync log before its tenant. Rows of `pricebook_sync_items` carry no tenant and go by
 * their sync.
 */
const tables: ReadonlyArray<readonly [table: string, where: string]> = [
  ['pricebook_sync_items', 'sync_log_id in (select id from pricebook_sync_log where tenant_id = ?)'],
  ['pricebook_changes', 'tenant_id = ?'],
  ['pricebook_changesets', 'tenant_id = ?'],
  ['pricebook_sync_conflicts', 'tenant_id = ?'],
  ['pricebook_quarantine', 'tenant_id = ?'],
  ['pricebook_outbox', 'tenant_id = ?'],
  ['pricebook_dead_letters', 'tenant_id = ?'],
  ['pricebook_drift_reports', 'tenant_id = ?'],
  ['pricebook_webhook_attempts', 'tenant_id = ?'],
  ['pricebook_webhook_deliveries', 'tenant_id = ?'],
  ['pricebook_webhook_subscriptions', 'tenant_id = ?'],
  ...entityTypes.map((type) => [entityTables[type], 'tenant_id = ?'] as const),
  ['pricebook_sync_runs', 'tenant_id = ?'],
  ['pricebook_sync_state', 'tenant_id = ?'],
  ['pricebook_sync_log', 'tenant_id = ?'],
];

/**
 * Deletes everything a removed tenant left (its pricebook, audit trail, syncs, conflicts, events,
 * webhook subscriptions with their sealed secrets, delivery logs and attempts),
 * `limit` rows per statement and transaction so no lock is held for long, and returns how many
 * rows went. Only for a tenant whose `pricebook_tenants` row says `removed`: it refuses otherwise,
 * and its last step deletes that row. The deletions announce nothing (no audit row, no event): the
 * tenant is gone, not edited. Safe to run again after a crash; it goes on where it stopped.
 *
 * @example
 * const deleted = await purgeTenant(orm, '1002', 1000);
 */
export async function purgeTenant(orm: Orm, tenantId: string, limit = 1000): Promise<number> {
  const [tenant] = await orm.em
    .fork()
    .execute<Array<{ status: string }>>('select status from pricebook_tenants where tenant_id = ?', [
      tenantId,
    ]);
  if (tenant?.status !== 'removed') {
    throw new Error(
      `tenant ${tenantId} is ${tenant ? tenant.status : 'unknown'}: only a removed tenant is purged`,
    );
  }
  let deleted = 0;
  for (const [name, where] of tables) {
    for (;;) {
      const n = await orm.em.fork().transactional(async (em) => {
        // `push` is the origin the capture triggers record nothing for.
        await setWriteContext(em, { origin: 'push', actor: 'tenant purge' });
        const rows = await em.execute<{ n: string }[]>(
          `with gone as (delete from ${name} where ctid in (select ctid from ${name} where ${where} limit ?) returning 1)
           select count(*) as n from gone`,
          [tenantId, limit],
        );
        return countOf(rows);
      });
      deleted += n;
      if (n < limit) break;
    }
  }
  await orm.em
    .fork()
    .execute(`delete from pricebook_tenants where tenant_id = ? and status = 'removed'`, [tenantId]);
  return deleted;
}
