import { webhookResponseExcerptBytes } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { attemptErrorChars, trimError } from './attempt-log';
import { excerptOf } from './send';

describe('excerptOf', () => {
  it('keeps at most the first kilobyte of a body, as text', () => {
    expect(excerptOf(Buffer.from('y'.repeat(3_000)))).toBe('y'.repeat(webhookResponseExcerptBytes));
    expect(excerptOf(Buffer.from('{"ok":true}'))).toBe('{"ok":true}');
  });

  it('drops NUL characters (PostgreSQL text cannot hold them) and answers null for no body', () => {
    expect(excerptOf(Buffer.from('a\u0000b'))).toBe('ab');
    expect(excerptOf(Buffer.alloc(0))).toBeNull();
    expect(excerptOf(Buffer.from('\u0000'))).toBeNull();
  });
});

describe('trimError', () => {
  it('trims a long error to its limit and leaves a short one alone', () => {
    const trimmed = trimError('e'.repeat(5_000));
    expect(trimmed).toHaveLength(attemptErrorChars);
    expect(trimmed?.endsWith('…')).toBe(true);
    expect(trimError('HTTP 500')).toBe('HTTP 500');
    expect(trimError(undefined)).toBeNull();
  });
});
