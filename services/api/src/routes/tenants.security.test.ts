import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness, tenantBody } from '../test-support';

const h = forFile(() => startHarness());

const bound = {
  viewer: 'bound-viewer-key-0123456789',
  admin: 'bound-admin-key-0123456789',
} as const;

/** An app whose extra keys are bound to `tenants`. */
function appWithBoundKeys(tenants: readonly string[]) {
  return h.app({
    config: {
      apiKeys: [
        { role: 'viewer', key: keys.viewer },
        { role: 'operator', key: keys.operator },
        { role: 'admin', key: keys.admin },
        { role: 'viewer', key: bound.viewer, tenants },
        { role: 'admin', key: bound.admin, tenants },
      ],
    },
  });
}

const t = '1002';
const routes: Array<[string, string, 'viewer' | 'operator' | 'admin']> = [
  ['GET', '/api/tenants', 'viewer'],
  ['GET', `/api/tenants/${t}`, 'viewer'],
  ['POST', '/api/tenants', 'admin'],
  ['PATCH', `/api/tenants/${t}`, 'admin'],
  ['POST', `/api/tenants/${t}/pause`, 'admin'],
  ['POST', `/api/tenants/${t}/resume`, 'admin'],
  ['DELETE', `/api/tenants/${t}`, 'admin'],
  ['POST', `/api/tenants/${t}/test`, 'operator'],
];
const below = { viewer: undefined, operator: keys.viewer, admin: keys.operator } as const;

describe('/api/tenants security', () => {
  it.each(routes)('%s %s needs a key (401)', async (method, path) => {
    const res = await call(h.app(), method, path, method === 'GET' ? {} : { body: { name: 'x' } });
    expect(res.status).toBe(401);
  });

  it.each(routes.filter(([, , role]) => role !== 'viewer'))(
    '%s %s needs the %s role (403 for the one below, before the body)',
    async (method, path, role) => {
      const res = await call<{ requiredRole: string }>(h.app(), method, path, {
        key: below[role],
        raw: '{not json',
      });
      expect(res.status).toBe(403);
      expect(res.body.requiredRole).toBe(role);
    },
  );

  it('shows a key bound to tenants only those, and nothing of the others', async () => {
    const mine = h.tenant();
    const other = h.tenant();
    const app = appWithBoundKeys([mine]);
    for (const id of [mine, other]) {
      expect(
        (await call(app, 'POST', '/api/tenants', { key: keys.admin, body: tenantBody(id) })).status,
      ).toBe(201);
    }
    const list = await call<{ tenants: Array<{ tenantId: string }> }>(app, 'GET', '/api/tenants', {
      key: bound.viewer,
    });
    expect(list.body.tenants.map((x) => x.tenantId)).toEqual([mine]);
    const all = await call<{ tenants: Array<{ tenantId: string }> }>(app, 'GET', '/api/tenants', {
      key: keys.viewer,
    });
    expect(all.body.tenants.map((x) => x.tenantId)).toEqual(expect.arrayContaining(['1001', mine, other]));

    expect((await call(app, 'GET', `/api/tenants/${mine}`, { key: bound.viewer })).status).toBe(200);
    const hidden = await call<{ detail: string }>(app, 'GET', `/api/tenants/${other}`, { key: bound.viewer });
    expect(hidden.status).toBe(404);
    expect(hidden.body.detail).toBe(`no tenant ${other}`);
    expect((await call(app, 'GET', '/api/tenants/1001', { key: bound.viewer })).status).toBe(404);

    // A bound admin manages its own tenants and no other.
    const paused = await call(app, 'POST', `/api/tenants/${mine}/pause`, { key: bound.admin });
    expect(paused.status).toBe(200);
    for (const [method, path] of [
      ['PATCH', `/api/tenants/${other}`],
      ['POST', `/api/tenants/${other}/pause`],
      ['DELETE', `/api/tenants/${other}`],
      ['POST', `/api/tenants/${other}/test`],
    ] as const) {
      const res = await call(app, method, path, { key: bound.admin, body: { name: 'x' } });
      expect(res.status).toBe(404);
    }
    const still = await call<{ tenant: { status: string; name: string } }>(
      app,
      'GET',
      `/api/tenants/${other}`,
      {
        key: keys.viewer,
      },
    );
    expect(still.body.tenant).toMatchObject({ status: 'active', name: `Contractor ${other}` });
  });

  it('lets only a key bound to no tenant add one (403 for a bound admin)', async () => {
    const app = appWithBoundKeys(['1001']);
    const tenantId = h.tenant();
    const res = await call<{ code: string; reason: string }>(app, 'POST', '/api/tenants', {
      key: bound.admin,
      body: tenantBody(tenantId),
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden', reason: 'tenant_binding' });
    expect((await call(app, 'GET', `/api/tenants/${tenantId}`, { key: keys.viewer })).status).toBe(404);
  });

  it('never puts a secret in a response or a log line', async () => {
    const app = h.app();
    const tenantId = h.tenant();
    // Nothing listens there: the connection test fails fast.
    const body = tenantBody(tenantId, { apiBaseUrl: 'http://127.0.0.1:9', authUrl: 'http://127.0.0.1:9' });
    const newSecret = `rotated-secret-${tenantId}-do-not-show`;
    const newAppKey = `rotated-app-key-${tenantId}-do-not-show`;
    const bodies: unknown[] = [];
    const record = async (method: string, path: string, options: Parameters<typeof call>[3]) => {
      const res = await call(app, method, path, options);
      bodies.push(res.body);
      return res;
    };
    expect((await record('POST', '/api/tenants', { key: keys.admin, body })).status).toBe(201);
    expect((await record('POST', '/api/tenants', { key: keys.admin, body })).status).toBe(409);
    await record('POST', '/api/tenants', {
      key: keys.admin,
      body: { ...body, tenantId: h.tenant(), schedule: { fullCron: 'nope' } },
    });
    await record('POST', '/api/tenants', { key: keys.admin, body: { ...body, tenantId: 'x' } });
    await record('PATCH', `/api/tenants/${tenantId}`, {
      key: keys.admin,
      body: { clientSecret: newSecret, appKey: newAppKey },
    });
    await record('PATCH', `/api/tenants/${tenantId}`, {
      key: keys.admin,
      body: { clientSecret: newSecret, color: 'red' },
    });
    await record('GET', `/api/tenants/${tenantId}`, { key: keys.viewer });
    await record('GET', '/api/tenants', { key: keys.viewer });
    // Unreachable hosts: the test fails, and says why without the secret.
    const tested = await record('POST', `/api/tenants/${tenantId}/test`, { key: keys.operator });
    expect(tested.status).toBe(200);

    const seen = JSON.stringify(bodies) + JSON.stringify(h.lines);
    expect(h.lines.some((l) => l.msg === 'request completed' && l.path === '/api/tenants')).toBe(true);
    for (const secret of [body.clientSecret, body.appKey, newSecret, newAppKey]) {
      expect(seen).not.toContain(secret);
    }
  });
});
