import { loadConfig } from '@pricebook/config';
import { describe, expect, it } from 'vitest';
import { sandboxEnv } from './env';

describe('sandboxEnv', () => {
  it('seeds up to a million items, for the benchmark', () => {
    expect(loadConfig(sandboxEnv, { SANDBOX_SEED_ITEMS: '1000000' }).SANDBOX_SEED_ITEMS).toBe(1_000_000);
    expect(() => loadConfig(sandboxEnv, { SANDBOX_SEED_ITEMS: '1000001' })).toThrow(/SANDBOX_SEED_ITEMS/);
  });
});
