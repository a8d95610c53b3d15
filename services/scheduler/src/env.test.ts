import { loadConfig } from '@pricebook/config';
import { describe, expect, it } from 'vitest';
import { schedulerEnv } from './env';

describe('scheduler settings', () => {
  it('read the tenant list every 30 s by default, and serve stored tenants without ST_TENANT_ID', () => {
    const env = loadConfig(schedulerEnv, {});
    expect(env.TENANT_REFRESH_MS).toBe(30_000);
    expect(env.ST_TENANT_ID).toBeUndefined();
    expect(loadConfig(schedulerEnv, { ST_TENANT_ID: '1001', TENANT_REFRESH_MS: '5000' })).toMatchObject({
      ST_TENANT_ID: '1001',
      TENANT_REFRESH_MS: 5_000,
    });
  });

  it('refuse a refresh too short to leave the database alone, naming the variable', () => {
    expect(() => loadConfig(schedulerEnv, { TENANT_REFRESH_MS: '10' })).toThrow(/TENANT_REFRESH_MS/);
  });
});
