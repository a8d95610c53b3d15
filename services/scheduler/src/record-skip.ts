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

/**
 * Records, in the sync history of each schedule it concerns, that a tenant gets no scheduled syncs
 * and why (an invalid cron or zone), so whoever looks at the tenant's syncs sees the cause. Written
 * at most once a day per reason and schedule, however often the scheduler looks.
 *
 * @example
 * await recordUnschedulable(em, { tenantId: '1001', reason: 'full cron "61 * * * *" is not valid: …', schedules: ['full'] });
 */
export async function recordUnschedulable(
  em: EntityManager,
  problem: { tenantId: string; reason: string; schedules: readonly ScheduleName[] },
): Promise<void> {
  for (const schedule of problem.schedules) {
    const reason = `no scheduled syncs: ${problem.reason}`;
    await recordSkippedSync(em, {
      tenantId: problem.tenantId,
      syncType: schedule,
      reason,
      triggeredBy: `scheduler:${schedule}`,
      dedupeKey: reason,
    });
  }
}
