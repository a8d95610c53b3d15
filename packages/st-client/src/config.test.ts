import { describe, expect, it } from 'vitest';
import { joinUrl, stClientEnv, stClientOptionsFromEnv } from './config';

describe('stClientEnv', () => {
  const env = {
    ST_TENANT_ID: '3222348440',
    ST_CLIENT_ID: 'cid.a',
    ST_CLIENT_SECRET: 'cs1.s',
    ST_APP_KEY: 'ak1.k',
  };

  it('fills the production hosts by default', () => {
    const options = stClientOptionsFromEnv(stClientEnv.parse(env));
    expect(options).toEqual({
      baseUrl: 'https://api.servicetitan.io',
      authUrl: 'https://auth.servicetitan.io',
      tenantId: '3222348440',
      clientId: 'cid.a',
      clientSecret: 'cs1.s',
      appKey: 'ak1.k',
    });
  });

  it('refuses a missing secret or a bad tenant id', () => {
    expect(stClientEnv.safeParse({ ...env, ST_CLIENT_SECRET: undefined }).success).toBe(false);
    expect(stClientEnv.safeParse({ ...env, ST_TENANT_ID: 'abc' }).success).toBe(false);
    expect(stClientEnv.safeParse({ ...env, ST_API_BASE_URL: 'not a url' }).success).toBe(false);
  });
});

describe('joinUrl', () => {
  it('joins without doubled or missing slashes', () => {
    expect(joinUrl('https://auth.servicetitan.io/', '/connect/token')).toBe(
      'https://auth.servicetitan.io/connect/token',
    );
    expect(joinUrl('http://h:1', 'a')).toBe('http://h:1/a');
  });
});
