import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../context';
import { type CallResult, call, keys, signIn, startHarness } from '../test-support';
import { addTenant, seedTenantRows } from '../test-support/tenants';

const h = forFile(() => startHarness());

// A is the deployment's own tenant (ST_TENANT_ID); B was added through the directory.
const A = '1001';
const B = '1002';
const unknown = '9999';
const boundToA = 'bound-to-a-admin-key-0123456789';
const boundToB = 'bound-to-b-admin-key-0123456789';
const boundToBoth = 'bound-to-both-admin-key-0123456789';

const apiKeys = [
  { role: 'viewer' as const, key: keys.viewer },
  { role: 'operator' as const, key: keys.operator },
  { role: 'admin' as const, key: keys.admin },
  { role: 'admin' as const, key: boundToA, tenants: [A] },
  { role: 'admin' as const, key: boundToB, tenants: [B] },
  { role: 'admin' as const, key: boundToBoth, tenants: [A, B] },
];
/** An app of a deployment whose own tenant is A, or (`null`) that has none. */
const appOf = (tenantId: string | null = A) => h.app({ tenantId, config: { apiKeys } });

interface TenantData {
  recordId: string;
  conflictId: string;
  syncLogId: string;
  rejectionId: string;
}
const data: Record<string, TenantData> = {};
let app: ApiApp;
let seq = 1;

async function seed(tenant: string, stId: number): Promise<TenantData> {
  const rows = await seedTenantRows(h, tenant, stId, seq++);
  // The sync log as the API makes it: an unbound key naming the tenant.
  const started = await call<{ syncLogId: string }>(app, 'POST', '/api/sync/pricebook/incremental', {
    key: keys.admin,
    headers: { 'pricebook-tenant': tenant },
    body: { entityTypes: ['categories'] },
  });
  expect(started.status).toBe(202);
  return { ...rows, syncLogId: started.body.syncLogId };
}

type Operation = { method: string; path: string; template: string };
let tenantScoped: Operation[] = [];
/** Every operation behind the bearer key, as `METHOD /path`. */
let guarded: string[] = [];

/** A path of the OpenAPI document with tenant `t`'s ids in it. */
function fill(template: string, t: TenantData): string {
  const id =
    template.includes('/conflicts/') || template.includes('/resolve-conflict/')
      ? t.conflictId
      : template.includes('/logs/')
        ? t.syncLogId
        : template.includes('/rejections/')
          ? t.rejectionId
          : t.recordId;
  return template.replace('{entity}', 'materials').replace('{id}', id);
}

const send = (target: ApiApp, op: Operation, key: string, headers: Record<string, string> = {}) =>
  call<{ code?: string; detail?: string; reason?: string }>(target, op.method, op.path, { key, headers });

beforeAll(async () => {
  await addTenant(h, B);
  app = appOf();
  data[A] = await seed(A, 100);
  data[B] = await seed(B, 200);
  // Every route the document says takes the tenant header: a new route is in this list by itself.
  type Op = { parameters?: Array<{ $ref?: string }>; security?: Array<Record<string, unknown>> };
  const doc = await call<{ paths: Record<string, Record<string, Op>> }>(app, 'GET', '/openapi.json');
  guarded = Object.entries(doc.body.paths).flatMap(([template, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => (op.security ?? []).some((s) => 'bearerAuth' in s))
      .map(([method]) => `${method.toUpperCase()} ${template}`),
  );
  tenantScoped = Object.entries(doc.body.paths).flatMap(([template, ops]) =>
    Object.entries(ops)
      .filter(([, op]) =>
        (op.parameters ?? []).some((p) => p.$ref === '#/components/parameters/PricebookTenant'),
      )
      .map(([method]) => ({
        method: method.toUpperCase(),
        template,
        path: fill(template, data[B] ?? fail()),
      })),
  );
});

function fail(): never {
  throw new Error('tenant data not seeded');
}

const bData = () => data[B] ?? fail();
const aData = () => data[A] ?? fail();

describe('tenant-scoped routes', () => {
  it('are every /api route but the sessions and the tenants themselves', () => {
    const names = tenantScoped.map((o) => `${o.method} ${o.template}`);
    expect(names.sort()).toEqual(
      guarded.filter((n) => !n.includes(' /api/session') && !n.includes(' /api/tenants')).sort(),
    );
    expect(names).toContain('GET /api/sync/pricebook/conflicts/{id}');
    expect(names).toContain('POST /api/sync/pricebook/full');
    expect(names).toContain('POST /api/sync/pricebook/scheduler/stop');
    expect(names.some((n) => n.includes('/api/session'))).toBe(false);
  });

  it('refuse a key bound to A that names B, or a tenant that does not exist, with the same 403', async () => {
    for (const op of tenantScoped) {
      for (const named of [B, unknown]) {
        const res = await send(app, op, boundToA, { 'pricebook-tenant': named });
        const where = `${op.method} ${op.template} naming ${named}`;
        expect(res.status, where).toBe(403);
        expect(res.body, where).toMatchObject({ code: 'forbidden', reason: 'tenant' });
        expect(res.body.detail, where).toBe(`the key may not act for tenant ${named}`);
      }
    }
    // Nothing of B's changed meanwhile.
    const [row] = await h.sql<{ deleted_at: string | null }>(
      `select deleted_at from pricebook_materials where id = ?`,
      [bData().recordId],
    );
    expect(row?.deleted_at).toBeNull();
    const [conflict] = await h.sql<{ status: string }>(
      `select status from pricebook_sync_conflicts where id = ?`,
      [bData().conflictId],
    );
    expect(conflict?.status).toBe('unresolved');
    expect(h.published.filter((m) => m.tenant === B)).toHaveLength(1);
  });

  it('answer 404 for a tenant nobody added, to a key that may act for every tenant', async () => {
    for (const op of tenantScoped) {
      const res = await send(app, op, keys.admin, { 'pricebook-tenant': unknown });
      expect(res.status, `${op.method} ${op.template}`).toBe(404);
      expect(res.body.detail).toBe(`no tenant ${unknown}`);
    }
  });

  it('answer 400 for a header that is no tenant id', async () => {
    for (const op of tenantScoped) {
      const res = await send(app, op, keys.admin, { 'pricebook-tenant': 'acme' });
      expect(res.status, `${op.method} ${op.template}`).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it('answer 400 to a key for several tenants that names none, where the deployment has no tenant of its own', async () => {
    const bare = appOf(null);
    for (const op of tenantScoped) {
      for (const key of [keys.admin, boundToBoth]) {
        const res = await send(bare, op, key);
        expect(res.status, `${op.method} ${op.template}`).toBe(400);
        expect(res.body.detail).toBe('name the tenant with the Pricebook-Tenant header');
      }
    }
  });
});

describe("a key bound to A and B's ids", () => {
  const idsOfB = (): Array<[string, string]> => [
    ['GET', `/api/sync/pricebook/conflicts/${bData().conflictId}`],
    ['POST', `/api/sync/pricebook/resolve-conflict/${bData().conflictId}`],
    ['GET', `/api/sync/pricebook/logs/${bData().syncLogId}`],
    ['GET', `/api/sync/pricebook/logs/${bData().syncLogId}/events`],
    ['GET', `/api/pricebook/materials/${bData().recordId}`],
    ['GET', `/api/pricebook/materials/${bData().recordId}/history`],
    ['PATCH', `/api/pricebook/materials/${bData().recordId}`],
    ['DELETE', `/api/pricebook/materials/${bData().recordId}`],
    ['POST', `/api/sync/pricebook/rejections/${bData().rejectionId}/redrive`],
  ];

  it("gets 404 for every id of B's, with or without naming A", async () => {
    const bodies: Record<string, unknown> = {
      POST: { strategy: 'keep_st', resolvedBy: 'a@example.com' },
      PATCH: { price: 1 },
    };
    for (const [method, path] of idsOfB()) {
      for (const headers of [{}, { 'pricebook-tenant': A }] as Array<Record<string, string>>) {
        const res: CallResult = await call(app, method, path, {
          key: boundToA,
          headers,
          body: bodies[method],
        });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
    }
    const [row] = await h.sql<{ deleted_at: string | null; data: { price: number } }>(
      `select deleted_at, data from pricebook_materials where id = ?`,
      [bData().recordId],
    );
    expect(row).toMatchObject({ deleted_at: null, data: { price: 10 } });
  });

  it('acts on its one tenant when it names none, even where the deployment has no tenant of its own', async () => {
    const cases = [
      { target: app, key: boundToA, mine: aData(), theirs: bData() },
      { target: appOf(null), key: boundToB, mine: bData(), theirs: aData() },
    ];
    for (const { target, key, mine, theirs } of cases) {
      const list = await call<{ items: Array<{ id: string }> }>(target, 'GET', '/api/pricebook/materials', {
        key,
      });
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      const ids = list.body.items.map((i) => i.id);
      expect(ids).toContain(mine.recordId);
      expect(ids).not.toContain(theirs.recordId);
      const conflict = await call(target, 'GET', `/api/sync/pricebook/conflicts/${mine.conflictId}`, { key });
      expect(conflict.status).toBe(200);
      const other = await call(target, 'GET', `/api/sync/pricebook/conflicts/${theirs.conflictId}`, { key });
      expect(other.status).toBe(404);
    }
  });

  it('keeps its binding in a console session', async () => {
    const { cookie } = await signIn(app, boundToA);
    const me = await call(app, 'GET', '/api/session', { headers: { cookie } });
    expect(me.body).toMatchObject({ tenant: A, tenants: [A] });
    const other = await call(app, 'GET', '/api/pricebook/materials', {
      headers: { cookie, 'pricebook-tenant': B },
    });
    expect(other.status).toBe(403);
    const own = await call(app, 'GET', '/api/pricebook/materials', { headers: { cookie } });
    expect(own.status).toBe(200);
  });
});
