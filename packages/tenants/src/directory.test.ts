import { randomBytes } from 'node:crypto';
import { createOrm, migrate, type Orm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { createTestDatabase, type StartedSandbox, startSandbox } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedForStatus, TenantDirectory } from './directory';
import type { TenantsEnv } from './env';
import type { SecretsKey } from './secrets';
import { testConnection } from './test-connection';

const db = forFile(async () => {
  const database = await createTestDatabase('pb_tenants');
  await migrate(database.url);
  const orm = await createOrm(database.url, { poolMax: 4 });
  return {
    orm,
    async close() {
      await orm.close();
      await database.drop();
    },
  };
});
let orm: Orm;
let sandbox: StartedSandbox;
beforeAll(async () => {
  orm = db.orm;
  sandbox = await startSandbox({ tenantId: '2001' });
});
afterAll(async () => {
  await sandbox?.stop();
});

const log = createLogger({ service: 'tenants-test', level: 'silent' });
const k1: SecretsKey = { id: 'k1', key: randomBytes(32) };
const k2: SecretsKey = { id: 'k2', key: randomBytes(32) };

function env(overrides: Partial<TenantsEnv> = {}): TenantsEnv {
  return {
    ST_TENANT_NAME: 'Default tenant',
    ST_API_BASE_URL: 'https://api.servicetitan.io',
    ST_AUTH_URL: 'https://auth.servicetitan.io',
    TENANT_SECRETS_KEYS: [k1],
    ...overrides,
  };
}

const sandboxTenant = (tenantId: string) => ({
  tenantId,
  name: `Contractor ${tenantId}`,
  clientId: sandbox.clientId,
  clientSecret: sandbox.clientSecret,
  appKey: sandbox.appKey,
  apiBaseUrl: sandbox.baseUrl,
  authUrl: sandbox.authUrl,
});

describe('TenantDirectory', () => {
  it('stores the secrets sealed and never shows them', async () => {
    const tenants = new TenantDirectory(orm, env());
    const created = await tenants.create(sandboxTenant('3001'));
    expect(created).toMatchObject({
      tenantId: '3001',
      status: 'active',
      source: 'database',
      clientId: sandbox.clientId,
    });
    expect(JSON.stringify(created)).not.toContain(sandbox.clientSecret);
    expect(JSON.stringify(created)).not.toContain(sandbox.appKey);
    const [row] = await orm.em
      .fork()
      .execute<Array<{ client_secret: string; app_key: string }>>(
        `select client_secret, app_key from pricebook_tenants where tenant_id = 3001`,
      );
    expect(row?.client_secret).not.toContain(sandbox.clientSecret);
    expect(row?.app_key).not.toContain(sandbox.appKey);
    const connection = await tenants.connection('3001');
    expect(connection).toMatchObject({ clientSecret: sandbox.clientSecret, appKey: sandbox.appKey });
    await expect(tenants.create(sandboxTenant('3001'))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('defaults the hosts to ServiceTitan production', async () => {
    const tenants = new TenantDirectory(orm, env());
    const { apiBaseUrl: _a, authUrl: _b, ...rest } = sandboxTenant('3002');
    const created = await tenants.create({
      ...rest,
      apiBaseUrl: 'https://api.servicetitan.io',
      authUrl: 'https://auth.servicetitan.io',
    });
    expect(created).toMatchObject({
      apiBaseUrl: 'https://api.servicetitan.io',
      authUrl: 'https://auth.servicetitan.io',
    });
  });

  it("keeps the environment's tenant first and read-only", async () => {
    const tenants = new TenantDirectory(
      orm,
      env({ ST_TENANT_ID: '2001', ST_CLIENT_ID: 'cid', ST_CLIENT_SECRET: 'cs', ST_APP_KEY: 'ak' }),
    );
    expect(tenants.defaultTenantId).toBe('2001');
    const [first] = await tenants.list();
    expect(first).toMatchObject({ tenantId: '2001', source: 'environment', status: 'active' });
    await expect(tenants.create(sandboxTenant('2001'))).rejects.toMatchObject({ code: 'conflict' });
    await expect(tenants.update('2001', { name: 'x' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(tenants.setStatus('2001', 'paused')).rejects.toMatchObject({ code: 'conflict' });
    await expect(tenants.connection('2001')).resolves.toMatchObject({
      clientSecret: 'cs',
      version: 'environment',
    });
  });

  it('pauses, resumes, removes and brings back a tenant, saying why it cannot be reached', async () => {
    const tenants = new TenantDirectory(orm, env());
    await tenants.create(sandboxTenant('3003'));
    await tenants.setStatus('3003', 'paused');
    await expect(tenants.connection('3003')).rejects.toMatchObject({
      code: 'tenant_unavailable',
      message: 'tenant 3003 is paused',
    });
    expect(refusedForStatus(await tenants.connection('3003').catch((e: unknown) => e))).toBe(true);
    await tenants.setStatus('3003', 'active');
    await expect(tenants.connection('3003')).resolves.toMatchObject({ tenantId: '3003' });
    const removed = await tenants.setStatus('3003', 'removed');
    expect(removed.removedAt).not.toBeNull();
    await expect(tenants.connection('3003')).rejects.toMatchObject({ message: 'tenant 3003 is removed' });
    await expect(tenants.update('3003', { name: 'x' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(tenants.setStatus('3003', 'active')).rejects.toMatchObject({ code: 'conflict' });
    expect((await tenants.list()).find((t) => t.tenantId === '3003')?.status).toBe('removed');
    const back = await tenants.create({ ...sandboxTenant('3003'), name: 'Back again' });
    expect(back).toMatchObject({ status: 'active', name: 'Back again', removedAt: null });
    await expect(tenants.connection('9999')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('replaces one secret and keeps the other', async () => {
    const tenants = new TenantDirectory(orm, env());
    await tenants.create(sandboxTenant('3004'));
    const before = await tenants.connection('3004');
    const updated = await tenants.update('3004', {
      clientSecret: 'cs9.rotated',
      schedule: { fullCron: '0 3 * * *' },
    });
    expect(updated.schedule).toEqual({ fullCron: '0 3 * * *', incrementalCron: null, timezone: null });
    const after = await tenants.connection('3004');
    expect(after.clientSecret).toBe('cs9.rotated');
    expect(after.appKey).toBe(sandbox.appKey);
    expect(after.version).not.toBe(before.version);
  });

  it('re-seals with a new key, after which the old key can go', async () => {
    const old = new TenantDirectory(orm, env({ TENANT_SECRETS_KEYS: [k1] }));
    await old.create(sandboxTenant('3005'));
    const rotating = new TenantDirectory(orm, env({ TENANT_SECRETS_KEYS: [k2, k1] }));
    expect(await rotating.reseal()).toBeGreaterThanOrEqual(1);
    expect(await rotating.reseal()).toBe(0);
    // A key gone is the credentials' fault, not the tenant's status.
    expect(refusedForStatus(await old.connection('3005').catch((e: unknown) => e))).toBe(false);
    const rotated = new TenantDirectory(orm, env({ TENANT_SECRETS_KEYS: [k2] }));
    await expect(rotated.connection('3005')).resolves.toMatchObject({ appKey: sandbox.appKey });
    await expect(old.connection('3005')).rejects.toMatchObject({
      code: 'tenant_unavailable',
      message:
        'the clientSecret of tenant 3005 was sealed with key k2, which TENANT_SECRETS_KEYS no longer holds',
    });
  });

  it('refuses to store credentials without a key', async () => {
    const tenants = new TenantDirectory(orm, env({ TENANT_SECRETS_KEYS: undefined }));
    await expect(tenants.create(sandboxTenant('3006'))).rejects.toMatchObject({
      code: 'conflict',
      message: 'this deployment cannot store tenant credentials: TENANT_SECRETS_KEYS is not set',
    });
  });
});

describe('testConnection', () => {
  it('reads one page with good credentials and names the failing step otherwise', async () => {
    const tenants = new TenantDirectory(orm, env());
    await tenants.create(sandboxTenant('2001'));
    const ok = await testConnection(() => tenants.connection('2001'), { orm, log });
    expect(ok).toMatchObject({ ok: true, step: 'read', status: 200 });

    await tenants.update('2001', { clientSecret: 'cs1.wrong' });
    const bad = await testConnection(() => tenants.connection('2001'), { orm, log });
    expect(bad).toMatchObject({ ok: false, step: 'token', status: 400 });
    expect(bad.detail).toContain('ServiceTitan refused the client credentials');
    expect(bad.detail).not.toContain('cs1.wrong');

    await tenants.setStatus('2001', 'paused');
    const paused = await testConnection(() => tenants.connection('2001'), { orm, log });
    expect(paused).toEqual(
      expect.objectContaining({ ok: false, step: 'credentials', detail: 'tenant 2001 is paused' }),
    );
  });
});

describe('TenantDirectory, second round', () => {
  it('takes a schedule when a tenant is added, and drops it when a removed tenant comes back without one', async () => {
    const tenants = new TenantDirectory(orm, env());
    const created = await tenants.create({
      ...sandboxTenant('3101'),
      schedule: { fullCron: '0 4 * * *', timezone: 'America/Chicago' },
    });
    expect(created.schedule).toEqual({
      fullCron: '0 4 * * *',
      incrementalCron: null,
      timezone: 'America/Chicago',
    });
    await tenants.setStatus('3101', 'removed');
    const back = await tenants.create({
      ...sandboxTenant('3101'),
      schedule: { incrementalCron: '*/30 * * * *' },
    });
    expect(back.schedule).toEqual({ fullCron: null, incrementalCron: '*/30 * * * *', timezone: null });
  });

  it('re-seals removed tenants too, and names the one it cannot open after doing the others', async () => {
    const k3: SecretsKey = { id: 'k3', key: randomBytes(32) };
    const k4: SecretsKey = { id: 'k4', key: randomBytes(32) };
    await orm.em.fork().execute('delete from pricebook_tenants');
    const before = new TenantDirectory(orm, env({ TENANT_SECRETS_KEYS: [k3] }));
    await before.create(sandboxTenant('3201'));
    await before.create(sandboxTenant('3202'));
    await before.setStatus('3202', 'removed');
    const stranger = new TenantDirectory(orm, env({ TENANT_SECRETS_KEYS: [k4] }));
    await stranger.create(sandboxTenant('3203'));

    const rotating = new TenantDirectory(orm, env({ TENANT_SECRETS_KEYS: [k1, k3] }));
    await expect(rotating.reseal()).rejects.toMatchObject({
      code: 'tenant_unavailable',
      message:
        're-sealed 2; could not re-seal: the clientSecret of tenant 3203 was sealed with key k4, which TENANT_SECRETS_KEYS no longer holds',
    });
    const keys = await orm.em
      .fork()
      .execute<Array<{ tenant_id: string; secrets_key_id: string }>>(
        'select tenant_id::text, secrets_key_id from pricebook_tenants order by tenant_id',
      );
    expect(keys).toEqual([
      { tenant_id: '3201', secrets_key_id: 'k1' },
      { tenant_id: '3202', secrets_key_id: 'k1' },
      { tenant_id: '3203', secrets_key_id: 'k4' },
    ]);
  });
});
