import { loadSyncs, type Orm, recordProgress } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Delivery } from '@pricebook/messaging';
import { insertLedger } from '../../sql/ledger';
import { insertQuarantine } from '../../sql/quarantine';

/** SQLSTATE classes of data the database refuses (22 data exception, 23 integrity violation). */
const refusedClasses = /^(22|23)/;

/**
 * Whether an error is the database refusing the data itself (a value out of range, a broken
 * constraint) rather than a passing failure: retrying will not help.
 *
 * @example
 * isDataRefusal({ code: '22003' }); // true: numeric field overflow
 */
export function isDataRefusal(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = typeof e === 'object' ? Reflect.get(e, 'code') : undefined;
    if (typeof code === 'string' && refusedClasses.test(code)) return true;
    e = typeof e === 'object' ? Reflect.get(e, 'cause') : undefined;
  }
  return false;
}

/**
 * Accounts for one decision the database refused as a quarantined record (counted in `errors`,
 * the row untouched), so the sync goes on and its fence still finds every record accounted for.
 *
 * @example
 * await quarantineRefused(orm, delivery, error);
 */
export async function quarantineRefused(
  orm: Orm,
  delivery: Delivery<'record.decided'>,
  error: unknown,
): Promise<void> {
  const d = delivery.message.data;
  await orm.em.fork().transactional(async (em) => {
    const sync = (await loadSyncs(em, [d.syncLogId])).get(d.syncLogId);
    if (!sync) throw new AppError('not_found', `sync ${d.syncLogId} does not exist`);
    const tenantId = sync.tenant_id;
    if (tenantId !== delivery.message.tenant) {
      throw new AppError('bad_message', `sync ${d.syncLogId} belongs to tenant ${tenantId}`);
    }
    const fresh = await insertLedger(em, d.syncLogId, d.entity, [
      {
        item_key: String(d.stId),
        action: 'quarantine',
        record_id: d.recordId ?? null,
        st_id: d.stId,
        detail: sync.dry_run ? { action: 'quarantine', decision: d.action, reason: 'refused' } : null,
      },
    ]);
    if (fresh.length === 0) return;
    const message = error instanceof Error ? error.message : String(error);
    if (!sync.dry_run) {
      await insertQuarantine(em, { tenantId, syncLogId: d.syncLogId, entity: d.entity }, [
        {
          st_id: d.stId,
          raw: d.record ?? d.local ?? null,
          reason: `database refused the ${d.action}: ${message}`,
        },
      ]);
    }
    await recordProgress(em, d.syncLogId, { [d.entity]: { errors: 1 } });
  });
}
