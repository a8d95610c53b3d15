import { describe, expect, it } from 'vitest';
import { DISCARD_REASON_MAX, discardReasonProblem } from './rejections';

describe('discardReasonProblem', () => {
  it('asks for a reason when there is none but blanks', () => {
    expect(discardReasonProblem('')).toBe('Say why the message is discarded.');
    expect(discardReasonProblem('  \n ')).toBe('Say why the message is discarded.');
  });

  it('refuses one longer than the API takes, counting what is left once trimmed', () => {
    expect(discardReasonProblem('x'.repeat(DISCARD_REASON_MAX + 1))).toBe(
      'At most 500 characters (501 now).',
    );
    expect(discardReasonProblem(` ${'x'.repeat(DISCARD_REASON_MAX)} `)).toBeUndefined();
  });

  it('takes a plain reason', () => {
    expect(discardReasonProblem('test message sent by hand')).toBeUndefined();
  });
});
