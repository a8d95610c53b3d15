import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseEnv, ConfigError, envBoolean, envInt, loadConfig, natsAuthOf, natsEnv } from './index';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const env = loadConfig(baseEnv, {});
    expect(env.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/pricebook');
    expect(env.NATS_URL).toBe('nats://127.0.0.1:4222');
  });

  it('names every bad variable in one readable error without echoing secrets', () => {
    const schema = baseEnv.extend({
      FLAG: envBoolean(true),
      N: envInt(5, 1, 10),
      ST_CLIENT_SECRET: z.string().min(40),
    });
    let message = '';
    try {
      loadConfig(schema, {
        DATABASE_URL: 'mysql://x',
        FLAG: 'maybe',
        N: '99',
        ST_CLIENT_SECRET: 'cs1.short-secret',
      });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('FLAG');
    expect(message).toContain('N:');
    expect(message).toContain('ST_CLIENT_SECRET');
    expect(message).not.toContain('cs1.short-secret');
  });

  it('parses booleans', () => {
    const s = z.object({ A: envBoolean(false), B: envBoolean(true) });
    expect(loadConfig(s, { A: 'YES' })).toEqual({ A: true, B: true });
  });
});

describe('NATS login', () => {
  const fail = (source: Record<string, string>) => {
    try {
      loadConfig(natsEnv, source);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads one way to log in, or none for an open local server', () => {
    expect(natsAuthOf(loadConfig(baseEnv, {}))).toBeUndefined();
    expect(natsAuthOf(loadConfig(baseEnv, { NATS_USER: 'api', NATS_PASSWORD: 'pw-0123456789' }))).toEqual({
      kind: 'user',
      user: 'api',
      password: 'pw-0123456789',
    });
    expect(natsAuthOf(loadConfig(natsEnv, { NATS_TOKEN: 't0k3n' }))).toEqual({
      kind: 'token',
      token: 't0k3n',
    });
    const seed = `SU${'A'.repeat(56)}`;
    expect(natsAuthOf(loadConfig(natsEnv, { NATS_NKEY_SEED: seed }))).toEqual({ kind: 'nkey', seed });
  });

  it('refuses half a login, two at once and a missing creds file, without echoing a secret', () => {
    expect(fail({ NATS_USER: 'api' })).toContain('NATS_PASSWORD: required with NATS_USER');
    expect(fail({ NATS_PASSWORD: 'hunter2-secret' })).toContain('NATS_USER: required with NATS_PASSWORD');
    const both = fail({ NATS_USER: 'api', NATS_PASSWORD: 'hunter2-secret', NATS_TOKEN: 'tok-secret' });
    expect(both).toContain('only one way to log in to NATS, but NATS_USER and NATS_TOKEN are set');
    expect(both).not.toContain('hunter2-secret');
    expect(both).not.toContain('tok-secret');
    expect(fail({ NATS_CREDS: '/nonexistent/pricebook.creds' })).toContain('NATS_CREDS: no such file');
    expect(fail({ NATS_NKEY_SEED: 'not-a-seed' })).toContain('NATS_NKEY_SEED: must be a user nkey seed');
  });

  it('applies to every service schema built on baseEnv', () => {
    const service = baseEnv.extend({ PORT: envInt(1, 1, 9) });
    expect(() => loadConfig(service, { NATS_USER: 'api' })).toThrow(/NATS_PASSWORD: required with NATS_USER/);
  });
});
