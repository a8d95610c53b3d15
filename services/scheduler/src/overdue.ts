import { entityTypes } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { compileCron } from '@pricebook/schedule';

export interface OverdueInput {
  tenantId: string;
  fullCron: string;
  timezone: string;
  now: Date;
}

/**
 * The full-sync tick that was missed while no scheduler ran, or `undefined` when none was.
 * The last full sync is the oldest of the entities' `last_full_sync_at` (a full sync covers all
 * four, so an entity never fully synced makes it overdue). The tick returned is the latest
 * scheduled instant before `now`: every replica starting in the same period derives the same one,
 * so their overdue ticks share a message id and run once.
 *
 * @example
 * const tickAt = await overdueFullTick(em, { tenantId: '1001', fullCron: '0 2 * * *', timezone: 'UTC', now: new Date() });
 */
export async function overdueFullTick(em: EntityManager, input: OverdueInput): Promise<Date | undefined> {
  const [previous] = compileCron(input.fullCron, input.timezone).previousRuns(1, input.now);
  if (!previous) return undefined;
  const rows = await em.execute<{ last_full_sync_at: string | Date | null }[]>(
    'select last_full_sync_at from pricebook_sync_state where tenant_id = ?',
    [input.tenantId],
  );
  const times = rows.map((r) => (r.last_full_sync_at === null ? undefined : new Date(r.last_full_sync_at)));
  const complete = rows.length >= entityTypes.length && times.every((t) => t !== undefined);
  const oldest = complete ? Math.min(...times.map((t) => t?.getTime() ?? 0)) : undefined;
  return oldest === undefined || oldest < previous.getTime() ? previous : undefined;
}
