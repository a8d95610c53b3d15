import { describe, expect, it } from 'vitest';
import { formatRelative, largestChange, priceChanges } from './plan-summary';

const entry = (changes: Record<string, unknown> | null, itemKey = '1') => ({
  entityType: 'materials',
  itemKey,
  action: 'update',
  detail: changes === null ? null : { action: 'update', decision: 'update', changes },
});

describe('priceChanges', () => {
  it('counts each price field whose values before and after differ', () => {
    const changes = priceChanges([
      entry({ price: { before: 10, after: 12 }, code: { before: 'a', after: 'b' } }),
      entry({ cost: { before: 4, after: 4 } }, '2'),
      entry({ memberPrice: { before: 8, after: 6 } }, '3'),
      entry(null, '4'),
    ]);
    expect(changes.map((c) => [c.itemKey, c.field, c.relative])).toEqual([
      ['1', 'price', 0.2],
      ['3', 'memberPrice', -0.25],
    ]);
  });

  it('treats a created record as a change from 0', () => {
    const [change] = priceChanges([entry({ price: { before: null, after: 5 } })]);
    expect(change?.relative).toBe(Number.POSITIVE_INFINITY);
    expect(formatRelative(change?.relative ?? 0)).toBe('new price (was 0)');
  });
});

describe('largestChange', () => {
  it('compares sizes, up or down', () => {
    const changes = priceChanges([
      entry({ price: { before: 10, after: 12 } }),
      entry({ price: { before: 10, after: 5 } }, '2'),
    ]);
    expect(largestChange(changes)?.itemKey).toBe('2');
    expect(formatRelative(-0.5)).toBe('-50.0 %');
    expect(formatRelative(1)).toBe('+100.0 %');
    expect(largestChange([])).toBeUndefined();
  });
});
