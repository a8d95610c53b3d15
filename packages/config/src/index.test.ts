import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseEnv, ConfigError, envBoolean, envInt, loadConfig } from './index';

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
