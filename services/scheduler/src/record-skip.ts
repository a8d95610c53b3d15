import type { ScheduleName } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';

export interface SkippedTick {
  tenantId: string;
  schedule: ScheduleName;
  tickAt: string;
  /** Why (the conflict's message, naming the running sync). */
  reason: string;
  triggeredBy: string;
}

/**
 * Records a tick that did not become a sync as a `cancelled` sync log row, so the history shows
 * every scheduled run and why one was skipped. Idempotent per tick: a redelivered tick whose skip
 * is already recorded writes nothing. Returns whether a row was written.
 *
 * @example
 * await recordSkippedTick(em, { tenantId: '1001', schedule: 'full', tickAt, reason, triggeredBy: 'scheduler:full' });
 */
export async function recordSkippedTick(em: EntityManager, skip: SkippedTick): Promise<boolean> {
  const message = `skipped scheduled ${skip.schedule} sync (tick ${skip.tickAt}): ${skip.reason}`;
  const rows = await em.execute(
    `insert into pricebook_sync_log
       (tenant_id, sync_type, direction, dry_run, status, completed_at, duration_ms, error_message, triggered_by)
     select ?, ?, 'from_st', false, 'cancelled', now(), 0, ?, ?
      where not exists (
        select 1 from pricebook_sync_log
         where tenant_id = ? and triggered_by = ? and status = 'cancelled'
           and created_at > now() - interval '1 day'
           and position(? in coalesce(error_message, '')) > 0)
     returning id`,
    [
      skip.tenantId,
      skip.schedule,
      message,
      skip.triggeredBy,
      skip.tenantId,
      skip.triggeredBy,
      `(tick ${skip.tickAt})`,
    ],
  );
  return rows.length > 0;
}
