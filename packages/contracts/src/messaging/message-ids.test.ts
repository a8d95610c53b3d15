import { describe, expect, it } from 'vitest';
import { messageIds } from './envelope';

describe('messageIds', () => {
  it('builds the resolve command id every publisher of it derives', () => {
    expect(messageIds.resolveCommand({ conflictId: 'c1', outboxId: 'o1' })).toBe('resolve:c1:o1');
  });

  it('builds a redrive id apart from the message id', () => {
    expect(messageIds.redrive('d1')).toBe('redrive:d1');
  });
});
