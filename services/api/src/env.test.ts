import { ConfigError } from '@pricebook/config';
import { describe, expect, it } from 'vitest';
import { apiConfig, loadApiEnv } from './env';

const key = 'k'.repeat(24);
const minimal = { API_KEYS: `admin:${key}`, ST_TENANT_ID: '1001' };

function problemOf(source: Record<string, string>): string {
  try {
    loadApiEnv(source);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadApiEnv', () => {
  it('applies the documented defaults', () => {
    const config = apiConfig(loadApiEnv(minimal));
    expect(loadApiEnv(minimal).PORT).toBe(3001);
    expect(loadApiEnv(minimal).ST_TENANT_ID).toBe('1001');
    expect(config).toEqual({
      apiKeys: [{ role: 'admin', key }],
      scheduler: { enabled: true, fullCron: '0 2 * * *', incrementalCron: '0 */6 * * *', timezone: 'UTC' },
      waitTimeoutMs: 300_000,
      waitPollMs: 500,
      runStaleAfterMs: 600_000,
      drift: { staleAfterMs: 172_800_000 },
      session: { ttlMs: 28_800_000 },
      webhooks: { allowPrivateUrls: false },
      assistant: { proposalTtlMs: 86_400_000 },
    });
  });

  it('configures the assistant only with both its URL and its model, and never shows its key', () => {
    expect(
      apiConfig(loadApiEnv({ ...minimal, ASSISTANT_URL: 'http://127.0.0.1:11434/v1' })).assistant,
    ).toEqual({
      proposalTtlMs: 86_400_000,
    });
    const config = apiConfig(
      loadApiEnv({
        ...minimal,
        ASSISTANT_URL: 'http://127.0.0.1:11434/v1',
        ASSISTANT_MODEL: 'qwen2.5:14b',
        ASSISTANT_API_KEY: 'assistant-key',
        ASSISTANT_PROPOSAL_TTL_MS: '3600000',
      }),
    );
    expect(config.assistant).toEqual({
      proposalTtlMs: 3_600_000,
      model: {
        url: 'http://127.0.0.1:11434/v1',
        model: 'qwen2.5:14b',
        apiKey: 'assistant-key',
        maxToolRounds: 6,
        timeoutMs: 60_000,
      },
    });
    const message = problemOf({ ...minimal, ASSISTANT_URL: 'ollama:11434' });
    expect(message).toContain('ASSISTANT_URL: must be an http:// or https:// URL');
  });

  it('reads the MCP endpoint allowed hosts (unset: no check) and refuses a URL in their place', () => {
    expect(apiConfig(loadApiEnv(minimal)).mcp).toBeUndefined();
    expect(apiConfig(loadApiEnv({ ...minimal, MCP_ALLOWED_HOSTS: ' ' })).mcp).toBeUndefined();
    expect(
      apiConfig(loadApiEnv({ ...minimal, MCP_ALLOWED_HOSTS: 'Pricebook.example.com, localhost:3001,' })).mcp,
    ).toEqual({ allowedHosts: ['pricebook.example.com', 'localhost:3001'] });
    expect(problemOf({ ...minimal, MCP_ALLOWED_HOSTS: 'https://pricebook.example.com' })).toContain(
      'MCP_ALLOWED_HOSTS',
    );
  });

  it('reads the session secret, its lifetime and the console folder, and refuses a short secret', () => {
    const secret = 's'.repeat(32);
    const config = apiConfig(
      loadApiEnv({
        ...minimal,
        SESSION_SECRET: secret,
        SESSION_TTL_MS: '600000',
        CONSOLE_DIR: '/srv/console',
      }),
    );
    expect(config).toMatchObject({ session: { secret, ttlMs: 600_000 }, consoleDir: '/srv/console' });
    const message = problemOf({ ...minimal, SESSION_SECRET: 'too-short-secret' });
    expect(message).toContain('SESSION_SECRET: must have at least 32 characters');
    expect(message).not.toContain('too-short-secret');
  });

  it('says clearly that API_KEYS is required and how to write it', () => {
    const message = problemOf({ ST_TENANT_ID: '1001' });
    expect(message).toContain('API_KEYS: required: comma-separated role:key pairs');
  });

  it('starts without a tenant of its own: every tenant is then named per request', () => {
    const env = loadApiEnv({ API_KEYS: `admin:${key}` });
    expect(env.ST_TENANT_ID).toBeUndefined();
  });

  it('reads keys bound to tenants', () => {
    const other = 'o'.repeat(24);
    const env = loadApiEnv({ ...minimal, API_KEYS: `admin:${key},viewer@1001+1002:${other}` });
    expect(env.API_KEYS).toEqual([
      { role: 'admin', key },
      { role: 'viewer', key: other, tenants: ['1001', '1002'] },
    ]);
    const message = problemOf({ ...minimal, API_KEYS: `admin@acme:${key}` });
    expect(message).toContain('entry 1 has a bad tenant list');
    expect(message).not.toContain(key);
  });

  it('names bad keys by position and never prints them', () => {
    const secret = 'not-long-enough';
    const message = problemOf({ ...minimal, API_KEYS: `admin:${key},owner:${secret}` });
    expect(message).toContain('entry 2 has an unknown role');
    expect(message).not.toContain(secret);
    expect(message).not.toContain(key);
  });

  it('refuses to start with a placeholder key from a template, and says why without printing it', () => {
    for (const sample of [
      'change-me-admin-key',
      'CHANGEME-0123456789',
      'your-api-key-goes-here',
      '<admin-key-0123456789>',
    ]) {
      const message = problemOf({ ...minimal, API_KEYS: `admin:${key},viewer:${sample}` });
      expect(message, sample).toContain('entry 2 is a placeholder, not a secret');
      expect(message, sample).not.toContain(sample);
    }
    expect(problemOf({ ...minimal, API_KEYS: 'admin:short-key' })).toContain(
      'entry 1: a key needs at least 16 characters',
    );
  });

  it('reads the scheduler settings', () => {
    const env = loadApiEnv({
      ...minimal,
      SYNC_SCHEDULER_ENABLED: 'false',
      SYNC_FULL_CRON: '0 3 * * 1',
      SYNC_INCREMENTAL_CRON: '*/15 * * * *',
    });
    expect(apiConfig(env).scheduler).toEqual({
      enabled: false,
      fullCron: '0 3 * * 1',
      incrementalCron: '*/15 * * * *',
      timezone: 'UTC',
    });
  });

  it('refuses a bad tenant, port and cron together', () => {
    const message = problemOf({ ...minimal, ST_TENANT_ID: 'acme', PORT: '70000', SYNC_FULL_CRON: 'daily' });
    expect(message).toContain('ST_TENANT_ID');
    expect(message).toContain('PORT');
    expect(message).toContain('SYNC_FULL_CRON');
  });

  it('reads the schedule as the scheduler does: a zone or cron it would refuse is refused here too', () => {
    const message = problemOf({
      ...minimal,
      SYNC_TIMEZONE: 'Mars/Olympus',
      SYNC_INCREMENTAL_CRON: '61 * * * *',
    });
    expect(message).toContain('SYNC_TIMEZONE: must be an IANA time zone');
    expect(message).toContain('SYNC_INCREMENTAL_CRON: not a cron expression');
  });

  it('names the pool size as every service does', () => {
    expect(loadApiEnv({ ...minimal, DATABASE_POOL_MAX: '25' }).DATABASE_POOL_MAX).toBe(25);
    expect(loadApiEnv(minimal).DATABASE_POOL_MAX).toBe(10);
  });
});
