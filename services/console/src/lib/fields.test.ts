import { describe, expect, it } from 'vitest';
import { fieldRows, parseTyped } from './fields';

describe('fieldRows', () => {
  it('puts disputed fields first, then one-sided changes, then the rest', () => {
    const rows = fieldRows(
      { code: 'A', price: 1, cost: 1, active: true },
      { code: 'A', price: 2, cost: 1, active: false },
      { code: 'A', price: 3, cost: 2, active: true },
      ['price'],
    );
    expect(rows.map((r) => [r.field, r.disputed, r.stChanged, r.localChanged])).toEqual([
      ['price', true, true, true],
      ['active', false, true, false],
      ['cost', false, false, true],
      ['code', false, false, false],
    ]);
  });

  it('marks no change on a side that deleted the record', () => {
    const [row] = fieldRows({ price: 1 }, null, { price: 2 }, []);
    expect(row).toMatchObject({ stChanged: false, localChanged: true });
  });
});

describe('parseTyped', () => {
  it('reads a typed value as the type of the field', () => {
    expect(parseTyped(' 45.5 ', 42.5)).toBe(45.5);
    expect(parseTyped('false', true)).toBe(false);
    expect(parseTyped('[1,2]', [1])).toEqual([1, 2]);
    expect(parseTyped('Copper pipe', 'Pipe')).toBe('Copper pipe');
  });

  it('refuses what is not of the type', () => {
    expect(() => parseTyped('abc', 1)).toThrow('is not a number');
    expect(() => parseTyped('', 1)).toThrow('is not a number');
    expect(() => parseTyped('yes', true)).toThrow('is not true or false');
  });
});
