import { describe, expect, it } from 'vitest';
import { compareStamp, formatStamp, nextTick, parseDateParam, StampSource } from './stamp';

describe('formatStamp', () => {
  it('writes .NET round-trip style with trailing zeros trimmed', () => {
    const ms = Date.UTC(2021, 6, 19, 20, 35, 38, 287);
    expect(formatStamp({ ms, ticks: 6004 })).toBe('2021-07-19T20:35:38.2876004Z');
    expect(formatStamp({ ms, ticks: 0 })).toBe('2021-07-19T20:35:38.287Z');
    expect(formatStamp({ ms: Date.UTC(2021, 6, 19), ticks: 0 })).toBe('2021-07-19T00:00:00Z');
    expect(formatStamp({ ms: Date.UTC(2021, 6, 19, 0, 0, 0, 500), ticks: 0 })).toBe('2021-07-19T00:00:00.5Z');
  });
});

describe('parseDateParam', () => {
  it('reads dates, date-times with 0-7 fraction digits and offsets', () => {
    expect(parseDateParam('2020-01-01')).toEqual({ ms: Date.UTC(2020, 0, 1), ticks: 0 });
    expect(parseDateParam('2021-07-19T20:35:38.2876004Z')).toEqual({
      ms: Date.UTC(2021, 6, 19, 20, 35, 38, 287),
      ticks: 6004,
    });
    expect(parseDateParam('2021-07-19T22:35:38+02:00')).toEqual({
      ms: Date.UTC(2021, 6, 19, 20, 35, 38),
      ticks: 0,
    });
    expect(parseDateParam('2021-07-19T20:35')).toEqual({ ms: Date.UTC(2021, 6, 19, 20, 35), ticks: 0 });
  });

  it('round-trips what formatStamp writes', () => {
    const s = { ms: Date.UTC(2024, 1, 29, 23, 59, 59, 999), ticks: 9999 };
    expect(parseDateParam(formatStamp(s))).toEqual(s);
  });

  it('refuses what is not a date', () => {
    for (const bad of ['yesterday', '2021-13-01', '2021-02-30', '2021-01-01T25:00:00Z', '']) {
      expect(parseDateParam(bad)).toBeUndefined();
    }
  });
});

describe('StampSource', () => {
  it('hands out strictly increasing stamps even when the clock stands still or goes back', () => {
    const source = new StampSource();
    const now = Date.UTC(2025, 0, 1);
    const stamps = [source.next(now), source.next(now), source.next(now - 60_000), source.next(now + 1)];
    for (let i = 1; i < stamps.length; i++) {
      const [a, b] = [stamps[i - 1], stamps[i]];
      if (!a || !b) throw new Error('missing stamp');
      expect(compareStamp(b, a)).toBeGreaterThan(0);
    }
  });

  it('continues after observed history', () => {
    const source = new StampSource();
    const history = { ms: Date.UTC(2030, 0, 1), ticks: 5 };
    source.observe(history);
    expect(source.next(Date.UTC(2025, 0, 1))).toEqual(nextTick(history));
  });
});
