import type { ScheduleName } from '@pricebook/contracts';
import { type EntityManager, recordSkippedSync } from '@pricebook/db';

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
  return recordSkippedSync(em, {
    tenantId: skip.tenantId,
    syncType: skip.schedule,
    reason: `skipped scheduled ${skip.schedule} sync (tick ${skip.tickAt}): ${skip.reason}`,
    triggeredBy: skip.triggeredBy,
    dedupeKey: `(tick ${skip.tickAt})`,
  });
}
