import { TenantDirectory } from '@pricebook/tenants';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness, tenantBody } from '../test-support';

const h = forFile(() => startHarness());

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; in: string; message: string }>;
}

const unknown = '9999999';

describe('/api/tenants errors', () => {
  it.each([
    ['GET', `/api/tenants/${unknown}`, 'viewer'],
    ['PATCH', `/api/tenants/${unknown}`, 'admin'],
    ['POST', `/api/tenants/${unknown}/pause`, 'admin'],
    ['POST', `/api/tenants/${unknown}/resume`, 'admin'],
    ['DELETE', `/api/tenants/${unknown}`, 'admin'],
    ['POST', `/api/tenants/${unknown}/test`, 'operator'],
  ] as const)('%s %s answers 404 for a tenant nobody added', async (method, path, role) => {
    const res = await call<Problem>(h.app(), method, path, {
      key: keys[role],
      ...(method === 'PATCH' ? { body: { name: 'x' } } : {}),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ code: 'not_found', detail: `no tenant ${unknown}` });
  });

  it('refuses to add the environment’s tenant or one that exists (409)', async () => {
    const app = h.app();
    const own = await call<Problem>(app, 'POST', '/api/tenants', {
      key: keys.admin,
      body: tenantBody('1001'),
    });
    expect(own.status).toBe(409);
    expect(own.body.detail).toContain('ST_TENANT_ID');

    const tenantId = h.tenant();
    expect(
      (await call(app, 'POST', '/api/tenants', { key: keys.admin, body: tenantBody(tenantId) })).status,
    ).toBe(201);
    const twice = await call<Problem>(app, 'POST', '/api/tenants', {
      key: keys.admin,
      body: tenantBody(tenantId),
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'conflict', detail: `tenant ${tenantId} exists` });
  });

  it('refuses to change, pause or remove the environment’s tenant (409)', async () => {
    const app = h.app();
    for (const [method, path] of [
      ['PATCH', '/api/tenants/1001'],
      ['POST', '/api/tenants/1001/pause'],
      ['DELETE', '/api/tenants/1001'],
    ] as const) {
      const res = await call<Problem>(app, method, path, {
        key: keys.admin,
        ...(method === 'PATCH' ? { body: { name: 'x' } } : {}),
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('conflict');
    }
  });

  it('cannot store credentials without TENANT_SECRETS_KEYS (409)', async () => {
    const tenants = new TenantDirectory(h.orm, {
      ST_TENANT_ID: '1001',
      ST_TENANT_NAME: 'Default tenant',
      ST_API_BASE_URL: 'https://api.servicetitan.io',
      ST_AUTH_URL: 'https://auth.servicetitan.io',
      TENANT_SECRETS_KEYS: undefined,
    });
    const app = h.app({ tenants });
    const res = await call<Problem>(app, 'POST', '/api/tenants', {
      key: keys.admin,
      body: tenantBody(h.tenant()),
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('TENANT_SECRETS_KEYS');
  });

  it('cannot bring a removed tenant back by resuming or changing it (409)', async () => {
    const app = h.app();
    const tenantId = h.tenant();
    await call(app, 'POST', '/api/tenants', { key: keys.admin, body: tenantBody(tenantId) });
    await call(app, 'DELETE', `/api/tenants/${tenantId}`, { key: keys.admin });
    const resumed = await call<Problem>(app, 'POST', `/api/tenants/${tenantId}/resume`, { key: keys.admin });
    expect(resumed.status).toBe(409);
    const changed = await call<Problem>(app, 'PATCH', `/api/tenants/${tenantId}`, {
      key: keys.admin,
      body: { name: 'x' },
    });
    expect(changed.status).toBe(409);
  });

  it('purges only a removed tenant, never the environment’s (409) or an unknown one (404)', async () => {
    const app = h.app();
    const tenantId = h.tenant();
    await call(app, 'POST', '/api/tenants', { key: keys.admin, body: tenantBody(tenantId) });
    const active = await call<Problem>(app, 'POST', `/api/tenants/${tenantId}/purge`, { key: keys.admin });
    expect(active.status).toBe(409);
    expect(active.body.detail).toBe(`tenant ${tenantId} is active: remove it before purging its data`);
    expect((await call(app, 'GET', `/api/tenants/${tenantId}`, { key: keys.viewer })).status).toBe(200);
    expect((await call<Problem>(app, 'POST', '/api/tenants/1001/purge', { key: keys.admin })).status).toBe(
      409,
    );
    expect((await call<Problem>(app, 'POST', '/api/tenants/9999999/purge', { key: keys.admin })).status).toBe(
      404,
    );
    expect(
      (await call<Problem>(app, 'POST', `/api/tenants/${tenantId}/purge`, { key: keys.operator })).status,
    ).toBe(403);
  });

  it.each([
    [{ fullCron: '61 * * * *' }, 'schedule.fullCron'],
    [{ incrementalCron: 'every hour' }, 'schedule.incrementalCron'],
    [{ timezone: 'Mars/Olympus' }, 'schedule.timezone'],
  ])('names the bad schedule field %j (400)', async (schedule, path) => {
    const app = h.app();
    const tenantId = h.tenant();
    const res = await call<Problem>(app, 'POST', '/api/tenants', {
      key: keys.admin,
      body: tenantBody(tenantId, { schedule }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual([expect.objectContaining({ path, in: 'body' })]);
    expect((await call(app, 'GET', `/api/tenants/${tenantId}`, { key: keys.viewer })).status).toBe(404);

    await call(app, 'POST', '/api/tenants', { key: keys.admin, body: tenantBody(tenantId) });
    const patched = await call<Problem>(app, 'PATCH', `/api/tenants/${tenantId}`, {
      key: keys.admin,
      body: { schedule },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.errors).toEqual([expect.objectContaining({ path })]);
  });

  it('names missing and unknown fields, an empty change and a bad tenant id (400)', async () => {
    const app = h.app();
    const { clientSecret: _left, ...missing } = tenantBody(h.tenant());
    const res = await call<Problem>(app, 'POST', '/api/tenants', {
      key: keys.admin,
      body: { ...missing, color: 'red' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.path).sort()).toEqual(['clientSecret', 'color']);

    const empty = await call<Problem>(app, 'PATCH', '/api/tenants/1002', { key: keys.admin, body: {} });
    expect(empty.status).toBe(400);
    const badId = await call<Problem>(app, 'GET', '/api/tenants/abc', { key: keys.viewer });
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([expect.objectContaining({ path: 'tenantId', in: 'path' })]);
  });
});
