import { describe, expect, it } from 'vitest';
import { entityTypes } from './entities';
import {
  DATE_MAX,
  DATE_MIN,
  isDateInRange,
  isStorableText,
  nulMessage,
  parseStIdText,
  SafeText,
  ST_DECIMAL_LIMIT,
  ST_DECIMAL_TEXT_MAX_LENGTH,
  ST_ID_MAX,
  surrogateMessage,
} from './limits';
import { Actor, InboundUpsertData, IsoDateTime, ResolveCommandData } from './messaging/index';
import { StDecimal, StId, StTimestamp } from './st/primitives';
import { stUpdateSchemas } from './st/records';

const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  (result.error?.issues ?? []).map((i) => i.message);

describe('decimals stay within numeric(14,4)', () => {
  it('accepts the largest magnitude the columns hold, as a number and as text', () => {
    expect(StDecimal.parse(9_999_999_999.9999)).toBe(9_999_999_999.9999);
    expect(StDecimal.parse('-9999999999.9999')).toBe(-9_999_999_999.9999);
  });

  it.each([1e11, ST_DECIMAL_LIMIT, -ST_DECIMAL_LIMIT, '10000000000', 9_999_999_999.99995])(
    'refuses %s with the range in the message',
    (value) => {
      expect(messages(StDecimal.safeParse(value))).toEqual([
        `must be greater than -${ST_DECIMAL_LIMIT} and less than ${ST_DECIMAL_LIMIT}`,
      ]);
    },
  );

  it('refuses a 60,000-digit string by its length, before any pattern runs', () => {
    // Digits then a letter: the old pattern backtracked quadratically on exactly this.
    const result = StDecimal.safeParse(`${'1'.repeat(60_000)}x`);
    expect(messages(result)).toEqual([
      `decimal text must be at most ${ST_DECIMAL_TEXT_MAX_LENGTH} characters`,
    ]);
  });

  it('refuses a 1 MiB string by its length', () => {
    const result = StDecimal.safeParse('9'.repeat(1024 * 1024));
    expect(messages(result)).toEqual([
      `decimal text must be at most ${ST_DECIMAL_TEXT_MAX_LENGTH} characters`,
    ]);
  });

  it('refuses text that is not a decimal, at any length up to the bound', () => {
    for (const text of ['cheap', '1e5', '1.2.3', `${'1'.repeat(ST_DECIMAL_TEXT_MAX_LENGTH - 1)}x`]) {
      expect(messages(StDecimal.safeParse(text)), text).toEqual(['must be a decimal number such as 12.50']);
    }
  });
});

describe('ids', () => {
  it('StId stops at 2^53 - 1, inside bigint, with one message', () => {
    expect(StId.safeParse(ST_ID_MAX).success).toBe(true);
    expect(messages(StId.safeParse(ST_ID_MAX + 2))).toHaveLength(1);
  });

  it('parseStIdText reads positive ids up to ST_ID_MAX and nothing else', () => {
    expect(parseStIdText('48213')).toBe(48213);
    expect(parseStIdText(String(ST_ID_MAX))).toBe(ST_ID_MAX);
    for (const text of [
      '0',
      '012',
      '9007199254740992',
      '9223372036854775808',
      '1'.repeat(1 << 20),
      '1e3',
      '',
    ]) {
      expect(parseStIdText(text), text.slice(0, 30)).toBeUndefined();
    }
  });
});

describe('dates stay within years 1-9999 UTC', () => {
  it('gives a malformed timestamp one message, not the range as well', () => {
    expect(messages(IsoDateTime.safeParse('yesterday'))).toEqual(['Invalid ISO datetime']);
  });

  it('accepts the first and last instant', () => {
    expect(isDateInRange(DATE_MIN)).toBe(true);
    expect(isDateInRange(DATE_MAX)).toBe(true);
    expect(IsoDateTime.safeParse('0001-01-01T00:00:00Z').success).toBe(true);
    expect(StTimestamp.parse('0001-01-01T00:00:00')).toBe('0001-01-01T00:00:00.0000000Z');
  });

  it.each(['0000-01-01T00:00:00Z', '0001-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00'])(
    'refuses %s, which PostgreSQL or ServiceTitan would refuse',
    (value) => {
      expect(isDateInRange(value)).toBe(false);
      expect(messages(IsoDateTime.safeParse(value))).toEqual([
        'must be between 0001-01-01 and 9999-12-31 (UTC)',
      ]);
      expect(StTimestamp.safeParse(value).success).toBe(false);
    },
  );

  it('converts offsets of the first century to the right year', () => {
    expect(StTimestamp.parse('0050-06-01T01:00:00+01:00')).toBe('0050-06-01T00:00:00.0000000Z');
  });

  it('refuses a 1 MiB timestamp by its length', () => {
    expect(messages(StTimestamp.safeParse('2'.repeat(1 << 20)))).toEqual([
      'not an ST timestamp: longer than 33 characters',
    ]);
  });
});

describe('text never carries NUL', () => {
  it('SafeText refuses NUL anywhere and keeps its other bounds', () => {
    expect(messages(SafeText.safeParse('a\u0000b'))).toEqual([nulMessage]);
    expect(SafeText.max(3).safeParse('abcd').success).toBe(false);
    expect(SafeText.parse('Copper 1/2" – ½')).toBe('Copper 1/2" – ½');
  });

  it('SafeText refuses half a surrogate pair, which jsonb refuses, and keeps whole pairs', () => {
    for (const text of ['a\ud800', '\udc00b', 'x\ud83d']) {
      expect(messages(SafeText.safeParse(text)), JSON.stringify(text)).toEqual([surrogateMessage]);
    }
    expect(SafeText.parse('fan \ud83d\ude00')).toBe('fan 😀');
    expect(isStorableText('a\ud800')).toBe(false);
  });

  it('every entity update schema refuses NUL, nested too', () => {
    for (const entity of entityTypes) {
      const field = entity === 'categories' ? 'name' : 'code';
      const result = stUpdateSchemas[entity].safeParse({ [field]: 'x\u0000' });
      expect(messages(result), entity).toEqual([nulMessage]);
    }
    const vendor = stUpdateSchemas.materials.safeParse({
      primaryVendor: { vendorId: 1, cost: 1, active: true, memo: 'a\u0000' },
    });
    expect(vendor.error?.issues.map((i) => i.path.join('.'))).toEqual(['primaryVendor.memo']);
  });

  it('actors, resolution field names and inbound field names refuse NUL', () => {
    expect(Actor.safeParse('ana\u0000').success).toBe(false);
    const resolve = ResolveCommandData.safeParse({
      conflictId: '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d',
      strategy: 'merge',
      fields: { 'pri\u0000ce': 'st' },
      resolvedBy: 'ana',
    });
    expect(resolve.success).toBe(false);
    const inbound = InboundUpsertData.safeParse({ entity: 'materials', record: { 'pri\u0000ce': 1 } });
    expect(inbound.success).toBe(false);
  });

  it('refuses a 1 MiB inbound field name by its length', () => {
    const inbound = InboundUpsertData.safeParse({
      entity: 'materials',
      record: { ['a'.repeat(1 << 20)]: 1 },
    });
    expect(messages(inbound)).toContain('field names are at most 100 characters');
  });
});
