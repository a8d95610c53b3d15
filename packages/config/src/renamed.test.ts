import { describe, expect, it } from 'vitest';
import { withRenamedVariables } from './renamed';

describe('withRenamedVariables', () => {
  it('reads an old name as the new one and says so', () => {
    const { source, renamed } = withRenamedVariables({ DB_POOL_MAX: '4', OTHER: 'x' });
    expect(source).toMatchObject({ DATABASE_POOL_MAX: '4', OTHER: 'x' });
    expect(renamed).toEqual([{ old: 'DB_POOL_MAX', name: 'DATABASE_POOL_MAX', ignored: false }]);
  });

  it('lets the new name win when both are set, and says the old one was ignored', () => {
    const { source, renamed } = withRenamedVariables({ DB_POOL_MAX: '4', DATABASE_POOL_MAX: '9' });
    expect(source.DATABASE_POOL_MAX).toBe('9');
    expect(renamed).toEqual([{ old: 'DB_POOL_MAX', name: 'DATABASE_POOL_MAX', ignored: true }]);
  });

  it('changes nothing when no old name is set', () => {
    expect(withRenamedVariables({ DATABASE_POOL_MAX: '9' })).toEqual({
      source: { DATABASE_POOL_MAX: '9' },
      renamed: [],
    });
  });
});
