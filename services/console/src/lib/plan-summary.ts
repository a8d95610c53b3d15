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

const priceFields = new Set(['price', 'memberPrice', 'addOnPrice', 'addOnMemberPrice', 'cost']);

function side(value: unknown): { local?: unknown; st?: unknown } | undefined {
  return typeof value === 'object' && value !== null
    ? (value as { local?: unknown; st?: unknown })
    : undefined;
}

/**
 * The price changes of a plan's entries: each price field whose local and ServiceTitan values are
 * numbers that differ (`detail[field] = { local, st }`, the local side being what changes).
 *
 * @example
 * priceChanges([{ entityType: 'materials', itemKey: '1', action: 'update', detail: { price: { local: 10, st: 12 } } }]);
 * // [{ field: 'price', from: 10, to: 12, relative: 0.2, … }]
 */
export function priceChanges(entries: readonly PlanLike[]): PriceChange[] {
  const changes: PriceChange[] = [];
  for (const entry of entries) {
    for (const [field, value] of Object.entries(entry.detail ?? {})) {
      if (!priceFields.has(field)) continue;
      const diff = side(value);
      const from = diff?.local;
      const to = diff?.st;
      if (typeof to !== 'number' || (typeof from !== 'number' && from !== undefined && from !== null))
        continue;
      const before = typeof from === 'number' ? from : 0;
      if (before === to) continue;
      const relative = before === 0 ? Number.POSITIVE_INFINITY : (to - before) / Math.abs(before);
      changes.push({
        entityType: entry.entityType,
        itemKey: entry.itemKey,
        field,
        from: before,
        to,
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
