import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, envRetention, formatRetention, loadConfig, parseDuration } from './index';

describe('parseDuration', () => {
  it('reads a whole number and one unit', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('12h')).toBe(43_200_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration(' 2W ')).toBe(1_209_600_000);
  });

  it('refuses a bare number, a fraction, zero and unknown units', () => {
    for (const text of ['30', '1.5d', '0d', '-1d', '7 days', '1y', '', 'off']) {
      expect(parseDuration(text)).toBeUndefined();
    }
  });
});

describe('envRetention', () => {
  const schema = z.object({ KEEP: envRetention('7d'), AUDIT: envRetention('off') });

  it('applies the default, reads off as null and a duration as milliseconds', () => {
    expect(loadConfig(schema, {})).toEqual({ KEEP: 604_800_000, AUDIT: null });
    expect(loadConfig(schema, { KEEP: 'OFF', AUDIT: '365d' })).toEqual({ KEEP: null, AUDIT: 31_536_000_000 });
  });

  it('names a bad value', () => {
    expect(() => loadConfig(schema, { KEEP: '30' })).toThrow(ConfigError);
    expect(() => loadConfig(schema, { KEEP: '30' })).toThrow(/KEEP: expected a duration/);
  });
});

describe('formatRetention', () => {
  it('writes the largest whole unit, or off', () => {
    expect(formatRetention(null)).toBe('off');
    expect(formatRetention(604_800_000)).toBe('1w');
    expect(formatRetention(2_592_000_000)).toBe('30d');
    expect(formatRetention(5_400_000)).toBe('90m');
    expect(formatRetention(1_500)).toBe('2s');
  });
});
