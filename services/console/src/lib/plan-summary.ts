/** What a dry run's plan says about prices: how many change, and the largest relative change. */

export interface PlanLike {
  entityType: string;
  itemKey: string;
  action: string;
  detail: Record<string, unknown> | null;
}

export interface PriceChange {
  entityType: string;
  itemKey: string;
  field: string;
  from: number;
  to: number;
  /** (to − from) / |from|; Infinity when from is 0 and to is not. */
  relative: number;
}

/** One field a plan entry would change, as the applier records it. */
export interface PlannedChange {
  before: unknown;
  after: unknown;
}

const priceFields = new Set(['price', 'memberPrice', 'addOnPrice', 'addOnMemberPrice', 'cost']);

/**
 * The field changes of a plan entry: `detail.changes` is `{ field: { before, after } }`, the local
 * row's values before the write and after it.
 */
export function plannedChanges(detail: Record<string, unknown> | null): Array<[string, PlannedChange]> {
  const changes = detail?.changes;
  if (typeof changes !== 'object' || changes === null) return [];
  return Object.entries(changes as Record<string, unknown>).flatMap(
    ([field, value]): Array<[string, PlannedChange]> =>
      typeof value === 'object' && value !== null ? [[field, value as PlannedChange]] : [],
  );
}

/**
 * The price changes of a plan's entries: each price field whose values before and after are
 * numbers that differ (a price set where there was none counts as a change from 0).
 *
 * @example
 * priceChanges([{ entityType: 'materials', itemKey: '1', action: 'update', detail: { changes: { price: { before: 10, after: 12 } } } }]);
 * // [{ field: 'price', from: 10, to: 12, relative: 0.2, … }]
 */
export function priceChanges(entries: readonly PlanLike[]): PriceChange[] {
  const changes: PriceChange[] = [];
  for (const entry of entries) {
    for (const [field, { before, after }] of plannedChanges(entry.detail)) {
      if (!priceFields.has(field) || typeof after !== 'number') continue;
      if (typeof before !== 'number' && before !== null && before !== undefined) continue;
      const from = typeof before === 'number' ? before : 0;
      if (from === after) continue;
      const relative = from === 0 ? Number.POSITIVE_INFINITY : (after - from) / Math.abs(from);
      changes.push({
        entityType: entry.entityType,
        itemKey: entry.itemKey,
        field,
        from,
        to: after,
        relative,
      });
    }
  }
  return changes;
}

/** The change with the largest relative size (up or down), if any. */
export function largestChange(changes: readonly PriceChange[]): PriceChange | undefined {
  let largest: PriceChange | undefined;
  for (const change of changes) {
    if (!largest || Math.abs(change.relative) > Math.abs(largest.relative)) largest = change;
  }
  return largest;
}

export function formatRelative(relative: number): string {
  if (!Number.isFinite(relative)) return 'new price (was 0)';
  const pct = relative * 100;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(pct !== 0 && Math.abs(pct) < 1 ? 2 : 1)} %`;
}
