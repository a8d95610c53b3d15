import { ConfigError } from '@pricebook/config';
import { describe, expect, it } from 'vitest';
import { loadApplierEnv } from './env';

describe('loadApplierEnv', () => {
  it('reads the environment tenant and fills in the rest', () => {
    const env = loadApplierEnv({ ST_TENANT_ID: '1001' });
    expect(env).toMatchObject({
      ST_TENANT_ID: '1001',
      SYNC_MASS_DELETE_MAX_SHARE: 0.5,
      APPLIER_BATCH_SIZE: 1000,
      APPLIER_DECIDED_CONCURRENCY: 2,
    });
  });

  it('fails fast, naming every bad setting', () => {
    const bad = { ST_TENANT_ID: 'acme', SYNC_MASS_DELETE_MAX_SHARE: '1.5' };
    expect(() => loadApplierEnv(bad)).toThrow(ConfigError);
    expect(() => loadApplierEnv(bad)).toThrow(/ST_TENANT_ID[\s\S]*SYNC_MASS_DELETE_MAX_SHARE/);
  });

  it('serves tenants of the directory alone: the environment tenant is optional', () => {
    const env = loadApplierEnv({ TENANT_SECRETS_KEYS: 'k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' });
    expect(env.ST_TENANT_ID).toBeUndefined();
    expect(env.TENANT_SECRETS_KEYS?.map((k) => k.id)).toEqual(['k1']);
  });
});
