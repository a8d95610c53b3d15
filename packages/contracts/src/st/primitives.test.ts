import { describe, expect, it } from 'vitest';
import {
  compareStTimestamps,
  normalizeStDecimal,
  normalizeStTimestamp,
  StDecimal,
  StId,
  StTimestamp,
  stTimestampToMs,
} from './primitives';

describe('normalizeStTimestamp', () => {
  it.each([
    ['2021-07-19T20:35:38Z', '2021-07-19T20:35:38.0000000Z'],
    ['2021-07-19T20:35:38.2Z', '2021-07-19T20:35:38.2000000Z'],
    ['2021-07-19T20:35:38.287Z', '2021-07-19T20:35:38.2870000Z'],
    ['2021-07-19T20:35:38.2876004Z', '2021-07-19T20:35:38.2876004Z'],
    ['2021-07-19T20:35:38.2876004', '2021-07-19T20:35:38.2876004Z'],
    ['2021-07-19T20:35:38.5+00:00', '2021-07-19T20:35:38.5000000Z'],
    ['2021-07-19T22:35:38.1234567+02:00', '2021-07-19T20:35:38.1234567Z'],
    ['2021-12-31T23:30:00-01:00', '2022-01-01T00:30:00.0000000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.0000000Z'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeStTimestamp(input)).toBe(expected);
  });

  it.each([
    '2021-07-19',
    '2021-07-19T20:35:38.12345678Z',
    '2023-02-29T00:00:00Z',
    '2021-13-01T00:00:00Z',
    '2021-07-19T24:00:00Z',
    '2021-07-19T20:35:38.Z',
    'yesterday',
    '',
  ])('rejects %s', (input) => {
    expect(normalizeStTimestamp(input)).toBeUndefined();
  });

  it('is idempotent', () => {
    const once = normalizeStTimestamp('2021-07-19T22:35:38.28+02:00') ?? '';
    expect(normalizeStTimestamp(once)).toBe(once);
  });
});

describe('StTimestamp', () => {
  it('normalises on parse and reports a readable issue otherwise', () => {
    expect(StTimestamp.parse('2021-07-19T20:35:38.28Z')).toBe('2021-07-19T20:35:38.2800000Z');
    const result = StTimestamp.safeParse('2021-02-30T00:00:00Z');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('not an ST timestamp');
  });
});

describe('compareStTimestamps', () => {
  it('orders by full precision whatever the spelling', () => {
    expect(compareStTimestamps('2021-07-19T20:35:38.2876004Z', '2021-07-19T20:35:38.2876Z')).toBe(1);
    expect(compareStTimestamps('2021-07-19T20:35:38.28Z', '2021-07-19T20:35:38.2800000Z')).toBe(0);
    expect(compareStTimestamps('2021-07-19T20:35:38Z', '2021-07-19T22:35:38.0000001+02:00')).toBe(-1);
  });

  it('throws on an invalid timestamp', () => {
    expect(() => compareStTimestamps('nope', '2021-07-19T20:35:38Z')).toThrow(RangeError);
  });
});

describe('stTimestampToMs', () => {
  it('truncates below the millisecond', () => {
    expect(stTimestampToMs('1970-01-01T00:00:01.0009999Z')).toBe(1000);
    expect(stTimestampToMs('2021-07-19T20:35:38.287Z')).toBe(Date.parse('2021-07-19T20:35:38.287Z'));
  });
});

describe('normalizeStDecimal', () => {
  it.each([
    [12.5, 12.5],
    [-0, 0],
    [0.00004, 0],
    [-0.00004, 0],
    [12.34565, 12.3457],
    [1.23456789, 1.2346],
    [0.1 + 0.2, 0.3],
    [1e21, 1e21],
    [-7, -7],
    [2.675, 2.675],
    [1.00005, 1.0001],
    [-1.00005, -1.0001],
    [0.99995, 1],
    [123456.78905, 123456.7891],
    [1.5e-7, 0],
  ])('%d → %d', (input, expected) => {
    const out = normalizeStDecimal(input);
    expect(out).toBe(expected);
    expect(Object.is(out, -0)).toBe(false);
  });

  it('rejects non-finite numbers', () => {
    expect(normalizeStDecimal(Number.NaN)).toBeUndefined();
    expect(normalizeStDecimal(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('is idempotent', () => {
    for (const value of [0.1, 2.675, 1.005, 123456.78905, -3.33335]) {
      const once = normalizeStDecimal(value);
      expect(normalizeStDecimal(once ?? Number.NaN)).toBe(once);
    }
  });
});

describe('StDecimal', () => {
  it('accepts numbers and decimal strings', () => {
    expect(StDecimal.parse(3)).toBe(3);
    expect(StDecimal.parse('12.50')).toBe(12.5);
    expect(StDecimal.parse('-0.00')).toBe(0);
  });

  it('rejects other values', () => {
    expect(StDecimal.safeParse('12,50').success).toBe(false);
    expect(StDecimal.safeParse(true).success).toBe(false);
    expect(StDecimal.safeParse(Number.NaN).success).toBe(false);
    expect(StDecimal.safeParse(null).success).toBe(false);
  });
});

describe('StId', () => {
  it('accepts safe non-negative integers only', () => {
    expect(StId.parse(3_222_348_440)).toBe(3_222_348_440);
    expect(StId.safeParse(2 ** 53).success).toBe(false);
    expect(StId.safeParse(1.5).success).toBe(false);
    expect(StId.safeParse(-1).success).toBe(false);
  });
});
