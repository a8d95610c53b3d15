import type { SchedulerStateStore } from '@pricebook/schedule';

/**
 * Each tenant's scheduler switch, opened on first use and kept; a failed open is forgotten, so
 * the next request tries again (NATS may have been away).
 *
 * @example
 * const schedulerState = cachedSchedulerStates((tenantId) => openSchedulerState(nc, tenantId));
 * await (await schedulerState('1001')).isEnabled(true);
 */
export function cachedSchedulerStates(
  open: (tenantId: string) => Promise<SchedulerStateStore>,
): (tenantId: string) => Promise<SchedulerStateStore> {
  const states = new Map<string, Promise<SchedulerStateStore>>();
  return (tenantId) => {
    const known = states.get(tenantId);
    if (known) return known;
    const opening = open(tenantId);
    states.set(tenantId, opening);
    opening.catch(() => states.delete(tenantId));
    return opening;
  };
}
