import { describe, expect, it } from 'vitest';
import { formatRelative, largestChange, priceChanges } from './plan-summary';

const entry = (detail: Record<string, unknown> | null, itemKey = '1') => ({
  entityType: 'materials',
  itemKey,
  action: 'update',
  detail,
});

describe('priceChanges', () => {
  it('counts each price field whose two sides differ', () => {
    const changes = priceChanges([
      entry({
        changedFields: ['price', 'code'],
        price: { local: 10, st: 12 },
        code: { local: 'a', st: 'b' },
      }),
      entry({ cost: { local: 4, st: 4 } }, '2'),
      entry({ memberPrice: { local: 8, st: 6 } }, '3'),
      entry(null, '4'),
    ]);
    expect(changes.map((c) => [c.itemKey, c.field, c.relative])).toEqual([
      ['1', 'price', 0.2],
      ['3', 'memberPrice', -0.25],
    ]);
  });

  it('treats a created record as a change from 0', () => {
    const [change] = priceChanges([entry({ price: { st: 5 } })]);
    expect(change?.relative).toBe(Number.POSITIVE_INFINITY);
    expect(formatRelative(change?.relative ?? 0)).toBe('new price (was 0)');
  });
});

describe('largestChange', () => {
  it('compares sizes, up or down', () => {
    const changes = priceChanges([
      entry({ price: { local: 10, st: 12 } }),
      entry({ price: { local: 10, st: 5 } }, '2'),
    ]);
    expect(largestChange(changes)?.itemKey).toBe('2');
    expect(formatRelative(-0.5)).toBe('-50.0 %');
    expect(largestChange([])).toBeUndefined();
  });
});
