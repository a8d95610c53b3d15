import { TenantConnectionTestResponse, TenantListResponse, TenantResponse } from '@pricebook/contracts';
import { type StartedSandbox, startSandbox } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, keys, sandboxTenantBody, startHarness, tenantBody } from '../test-support';
import { seedMaterials, stMaterial } from '../test-support/pricebook';

const h = forFile(() => startHarness());
let sandbox: StartedSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ tenantId: '3001' });
});
afterAll(async () => {
  await sandbox?.stop();
});

interface One {
  tenant: { tenantId: string; name: string; status: string; schedule: Record<string, unknown> };
}
interface Test {
  test: { ok: boolean; step: string; status: number | null; detail: string };
}

describe('/api/tenants', () => {
  it('adds a tenant (201, Location), lists it after the environment’s and shows it', async () => {
    const app = h.app();
    const tenantId = h.tenant();
    const created = await call<One>(app, 'POST', '/api/tenants', {
      key: keys.admin,
      body: tenantBody(tenantId, { schedule: { fullCron: '0 3 * * *', timezone: 'America/Chicago' } }),
    });
    expect(created.status).toBe(201);
    expect(TenantResponse.safeParse(created.body).error).toBeUndefined();
    expect(created.headers.get('location')).toBe(`/api/tenants/${tenantId}`);
    expect(created.body.tenant).toMatchObject({
      tenantId,
      status: 'active',
      source: 'database',
      clientId: `cid.${tenantId}`,
      apiBaseUrl: 'https://api.servicetitan.io',
      schedule: { fullCron: '0 3 * * *', incrementalCron: null, timezone: 'America/Chicago' },
    });

    const list = await call<{ tenants: Array<{ tenantId: string; source: string }> }>(
      app,
      'GET',
      '/api/tenants',
      { key: keys.viewer },
    );
    expect(list.status).toBe(200);
    expect(TenantListResponse.safeParse(list.body).error).toBeUndefined();
    expect(list.body.tenants[0]).toMatchObject({ tenantId: '1001', source: 'environment' });
    expect(list.body.tenants.map((t) => t.tenantId)).toContain(tenantId);

    const one = await call<One>(app, 'GET', `/api/tenants/${tenantId}`, { key: keys.viewer });
    expect(one.status).toBe(200);
    expect(one.body.tenant).toEqual(created.body.tenant);
  });

  it('changes only the fields given; a null schedule field takes the deployment’s setting again', async () => {
    const app = h.app();
    const tenantId = h.tenant();
    await call(app, 'POST', '/api/tenants', {
      key: keys.admin,
      body: tenantBody(tenantId, { schedule: { fullCron: '0 3 * * *', incrementalCron: '*/30 * * * *' } }),
    });
    const changed = await call<One>(app, 'PATCH', `/api/tenants/${tenantId}`, {
      key: keys.admin,
      body: { name: 'Renamed', schedule: { fullCron: null, timezone: 'Europe/Berlin' } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.tenant).toMatchObject({
      name: 'Renamed',
      clientId: `cid.${tenantId}`,
      schedule: { fullCron: null, incrementalCron: '*/30 * * * *', timezone: 'Europe/Berlin' },
    });
  });

  it('pauses, resumes and removes a tenant, keeping its data', async () => {
    const app = h.app();
    const tenantId = h.tenant();
    await call(app, 'POST', '/api/tenants', { key: keys.admin, body: tenantBody(tenantId) });
    await seedMaterials(h, tenantId, [stMaterial(501)]);

    for (const [method, path, status] of [
      ['POST', 'pause', 'paused'],
      ['POST', 'pause', 'paused'],
      ['POST', 'resume', 'active'],
    ] as const) {
      const res = await call<One>(app, method, `/api/tenants/${tenantId}/${path}`, { key: keys.admin });
      expect(res.status).toBe(200);
      expect(res.body.tenant.status).toBe(status);
    }
    const removed = await call<One & { tenant: { removedAt: string | null } }>(
      app,
      'DELETE',
      `/api/tenants/${tenantId}`,
      { key: keys.admin },
    );
    expect(removed.status).toBe(200);
    expect(removed.body.tenant).toMatchObject({ tenantId, status: 'removed' });
    expect(removed.body.tenant.removedAt).not.toBeNull();
    const shown = await call<One>(app, 'GET', `/api/tenants/${tenantId}`, { key: keys.viewer });
    expect(shown.body.tenant.status).toBe('removed');
    const rows = await h.sql<{ n: number }>(
      'select count(*)::int as n from pricebook_materials where tenant_id = ?',
      [tenantId],
    );
    expect(rows[0]?.n).toBe(1);

    // Added again, it is active with the same data.
    const again = await call<One>(app, 'POST', '/api/tenants', {
      key: keys.admin,
      body: tenantBody(tenantId),
    });
    expect(again.status).toBe(201);
    expect(again.body.tenant.status).toBe('active');
  });

  it("purges a removed tenant's data and the tenant, and leaves the others' alone", async () => {
    const app = h.app();
    const [kept, gone] = [h.tenant(), h.tenant()];
    for (const tenantId of [kept, gone]) {
      await call(app, 'POST', '/api/tenants', { key: keys.admin, body: tenantBody(tenantId) });
      await seedMaterials(h, tenantId, [stMaterial(601), stMaterial(602)]);
    }
    await call(app, 'DELETE', `/api/tenants/${gone}`, { key: keys.admin });

    const purged = await call<{ tenantId: string; deletedRows: number }>(
      app,
      'POST',
      `/api/tenants/${gone}/purge`,
      {
        key: keys.admin,
      },
    );

    expect(purged.status).toBe(200);
    expect(purged.body.tenantId).toBe(gone);
    expect(purged.body.deletedRows).toBeGreaterThanOrEqual(2);
    const count = async (tenantId: string) =>
      (
        await h.sql<{ n: number }>('select count(*)::int as n from pricebook_materials where tenant_id = ?', [
          tenantId,
        ])
      )[0]?.n;
    expect(await count(gone)).toBe(0);
    expect(await count(kept)).toBe(2);
    expect((await call(app, 'GET', `/api/tenants/${gone}`, { key: keys.viewer })).status).toBe(404);
    expect(
      (
        await call(app, 'GET', '/api/pricebook/materials', {
          key: keys.viewer,
          headers: { 'pricebook-tenant': gone },
        })
      ).status,
    ).toBe(404);
  });

  it('tests the connection against ServiceTitan: ok with good credentials, the failing step otherwise', async () => {
    const app = h.app();
    const created = await call(app, 'POST', '/api/tenants', {
      key: keys.admin,
      body: sandboxTenantBody(sandbox),
    });
    expect(created.status).toBe(201);
    const path = `/api/tenants/${sandbox.tenantId}/test`;

    const ok = await call<Test>(app, 'POST', path, { key: keys.operator });
    expect(ok.status).toBe(200);
    expect(TenantConnectionTestResponse.safeParse(ok.body).error).toBeUndefined();
    expect(ok.body.test).toMatchObject({ ok: true, step: 'read', status: 200 });

    const wrong = await call(app, 'PATCH', `/api/tenants/${sandbox.tenantId}`, {
      key: keys.admin,
      body: { clientSecret: 'cs1.wrong-secret' },
    });
    expect(wrong.status).toBe(200);
    const bad = await call<Test>(app, 'POST', path, { key: keys.operator });
    expect(bad.status).toBe(200);
    expect(bad.body.test).toMatchObject({ ok: false, step: 'token' });
    expect(bad.body.test.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(bad.body)).not.toContain('cs1.wrong-secret');

    await call(app, 'POST', `/api/tenants/${sandbox.tenantId}/pause`, { key: keys.admin });
    const paused = await call<Test>(app, 'POST', path, { key: keys.operator });
    expect(paused.status).toBe(200);
    expect(paused.body.test).toMatchObject({ ok: false, step: 'credentials', status: null });
    expect(paused.body.test.detail).toContain('paused');
    const logged = JSON.stringify(h.lines);
    for (const secret of [sandbox.clientSecret, sandbox.appKey, 'cs1.wrong-secret']) {
      expect(logged).not.toContain(secret);
    }
  });
});
