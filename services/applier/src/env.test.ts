import { ConfigError } from '@pricebook/config';
import { describe, expect, it } from 'vitest';
import { loadApplierEnv } from './env';

describe('loadApplierEnv', () => {
  it('needs the tenant and fills in the rest', () => {
    const env = loadApplierEnv({ ST_TENANT_ID: '1001' });
    expect(env).toMatchObject({
      ST_TENANT_ID: '1001',
      SYNC_MASS_DELETE_MAX_SHARE: 0.5,
      APPLIER_BATCH_SIZE: 1000,
      APPLIER_DECIDED_CONCURRENCY: 2,
    });
  });

  it('fails fast, naming every bad setting', () => {
    expect(() => loadApplierEnv({ SYNC_MASS_DELETE_MAX_SHARE: '1.5' })).toThrow(ConfigError);
    expect(() => loadApplierEnv({ SYNC_MASS_DELETE_MAX_SHARE: '1.5' })).toThrow(
      /ST_TENANT_ID[\s\S]*SYNC_MASS_DELETE_MAX_SHARE/,
    );
  });
});
