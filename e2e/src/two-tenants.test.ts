import type { StackTenant } from '@pricebook/testing';
import { until } from '@pricebook/testing/vitest';
import type pg from 'pg';
import { describe, expect } from 'vitest';
import { rows, test } from './test-support';

const adminKey = 'e2e-admin-key-0123456789';
const keyOfA = 'e2e-operator-of-a-0123456789';
const tenantA = '1000001';

test.scoped({
  stackOptions: {
    scheduler: true,
    sandbox: { tenantId: tenantA, items: 12, seed: 11 },
    tenants: [{ items: 9, seed: 12 }],
    env: {
      API_KEYS: `admin:${adminKey},operator@${tenantA}:${keyOfA}`,
      // The deployment's schedules, which tenant A (the environment's) runs: an incremental every
      // two seconds, a full one never during the test.
      SYNC_INCREMENTAL_CRON: '*/2 * * * * *',
      SYNC_FULL_CRON: '0 0 1 1 *',
      TENANT_REFRESH_MS: '300',
    },
  },
});

/** `until`, with the deadline and what is awaited given last. */
const waitFor = (probe: () => Promise<boolean>, o: { timeoutMs: number; what: string }) =>
  until(o.what, probe, o.timeoutMs);

interface Answer<T> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(
  url: string,
  method: string,
  path: string,
  options: { key?: string; tenant?: string; body?: unknown } = {},
): Promise<Answer<T>> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.key ?? adminKey}`,
      'content-type': 'application/json',
      ...(options.tenant ? { 'pricebook-tenant': options.tenant } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

interface SyncRow {
  id: string;
  status: string;
  triggered_by: string | null;
  error_message: string | null;
  created_at: Date;
}

const syncsOf = (db: pg.Client, tenant: string) =>
  rows<SyncRow>(
    db,
    `select id, status, triggered_by, error_message, created_at from pricebook_sync_log
      where tenant_id = $1 order by created_at`,
    [tenant],
  );

const materialsOf = async (db: pg.Client, tenant: string) =>
  Number(
    (
      await rows<{ n: string }>(
        db,
        'select count(*) as n from pricebook_materials where tenant_id = $1 and deleted_at is null',
        [tenant],
      )
    )[0]?.n,
  );

/** Waits until tenant A (scheduled every two seconds) has completed `n` more scheduled syncs than it had. */
async function aCompletesMore(db: pg.Client, n: number): Promise<void> {
  const done = async () =>
    (await syncsOf(db, tenantA)).filter(
      (s) => s.status === 'completed' && s.triggered_by?.startsWith('scheduler'),
    ).length;
  const before = await done();
  await waitFor(async () => (await done()) >= before + n, {
    timeoutMs: 60_000,
    what: `tenant A completing ${n} more scheduled syncs`,
  });
}

// Two contractors on one deployment: every service as its own process, two sandbox tenants as
// ServiceTitan, real PostgreSQL and JetStream.
describe('two tenants on one deployment', () => {
  test('each syncs on its own schedule, a bound key sees only its tenant, a bad credential fails only its tenant, and removal stops the schedules but keeps the data until purged', async ({
    stack,
    sql: db,
  }) => {
    const [b] = stack.tenants as [StackTenant];
    const url = stack.api.url;

    // B's schedule is its own: an incremental every three seconds; A keeps the deployment's.
    const patched = await call(url, 'PATCH', `/api/tenants/${b.tenantId}`, {
      body: { schedule: { incrementalCron: '*/3 * * * * *' } },
    });
    expect(patched.status).toBe(200);
    const statusOf = (tenant: string) =>
      call<{ scheduler: { schedules: { incrementalSync: string; fullSync: string } } }>(
        url,
        'GET',
        '/api/sync/pricebook/status',
        { tenant },
      );
    expect((await statusOf(tenantA)).body.scheduler.schedules).toEqual({
      incrementalSync: '*/2 * * * * *',
      fullSync: '0 0 1 1 *',
    });
    expect((await statusOf(b.tenantId)).body.scheduler.schedules).toEqual({
      incrementalSync: '*/3 * * * * *',
      fullSync: '0 0 1 1 *',
    });

    // Both tenants' timed syncs run and bring each one its own pricebook.
    const stMaterials = async (control: StackTenant['control']) => (await control.items('materials')).length;
    const [stA, stB] = [await stMaterials(stack.sandbox.control), await stMaterials(b.control)];
    expect(stA).toBeGreaterThan(0);
    expect(stB).toBeGreaterThan(0);
    await waitFor(
      async () => (await materialsOf(db, tenantA)) === stA && (await materialsOf(db, b.tenantId)) === stB,
      {
        timeoutMs: 90_000,
        what: "both tenants' materials synced by their schedules",
      },
    );
    for (const tenant of [tenantA, b.tenantId]) {
      const scheduled = (await syncsOf(db, tenant)).filter((s) => s.triggered_by?.startsWith('scheduler'));
      expect(scheduled.length, `tenant ${tenant}'s scheduled syncs`).toBeGreaterThan(0);
    }

    // A conflict of B's: the same price edited in B's ServiceTitan and, through the API, locally.
    const [item] = await rows<{ id: string; st_id: string }>(
      db,
      'select id, st_id::text from pricebook_materials where tenant_id = $1 and deleted_at is null order by st_id limit 1',
      [b.tenantId],
    );
    if (!item) throw new Error('tenant B has no materials');
    const edit = await call(url, 'PATCH', `/api/pricebook/materials/${item.id}`, {
      tenant: b.tenantId,
      body: { price: 111.25 },
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    await b.control.editItem('materials', Number(item.st_id), { price: 222.5 });
    let conflictId = '';
    await waitFor(
      async () => {
        const list = await call<{ conflicts: Array<{ id: string }> }>(
          url,
          'GET',
          '/api/sync/pricebook/conflicts',
          { tenant: b.tenantId },
        );
        conflictId = list.body.conflicts?.[0]?.id ?? '';
        return conflictId !== '';
      },
      { timeoutMs: 60_000, what: "a conflict in tenant B's pricebook" },
    );

    // A key bound to A: B's conflict does not exist for it, and naming B is forbidden.
    const asA = await call(url, 'GET', `/api/sync/pricebook/conflicts/${conflictId}`, { key: keyOfA });
    expect(asA.status).toBe(404);
    const namingB = await call(url, 'GET', `/api/sync/pricebook/conflicts/${conflictId}`, {
      key: keyOfA,
      tenant: b.tenantId,
    });
    expect(namingB.status).toBe(403);
    const listOfA = await call<{ conflicts: Array<{ id: string }> }>(
      url,
      'GET',
      '/api/sync/pricebook/conflicts',
      { key: keyOfA },
    );
    expect(listOfA.status).toBe(200);
    expect(listOfA.body.conflicts.map((c) => c.id)).not.toContain(conflictId);
    const asAdmin = await call(url, 'GET', `/api/sync/pricebook/conflicts/${conflictId}`, {
      tenant: b.tenantId,
    });
    expect(asAdmin.status).toBe(200);

    // A bad credential of B's fails B's syncs with the reason, while A's go on.
    const wrong = await call(url, 'PATCH', `/api/tenants/${b.tenantId}`, {
      body: { clientSecret: 'cs9.not-the-secret' },
    });
    expect(wrong.status).toBe(200);
    const changedAt = new Date();
    await waitFor(
      async () =>
        (await syncsOf(db, b.tenantId)).some((s) => s.created_at > changedAt && s.status === 'failed'),
      { timeoutMs: 60_000, what: "a failed sync of tenant B's after its secret changed" },
    );
    const failed = (await syncsOf(db, b.tenantId)).find(
      (s) => s.created_at > changedAt && s.status === 'failed',
    );
    expect(failed?.error_message).toContain('ServiceTitan refused the client credentials');
    expect(failed?.error_message).not.toContain('cs9.not-the-secret');
    await aCompletesMore(db, 2);
    expect(
      (await syncsOf(db, tenantA)).filter((s) => s.created_at > changedAt && s.status === 'failed'),
    ).toEqual([]);

    // Removing B stops its schedules; its data stays readable until it is purged.
    const removed = await call<{ tenant: { status: string } }>(url, 'DELETE', `/api/tenants/${b.tenantId}`);
    expect(removed.status).toBe(200);
    expect(removed.body.tenant.status).toBe('removed');
    // The scheduler notices within TENANT_REFRESH_MS; a tick already in flight may still land.
    await aCompletesMore(db, 1);
    const syncsOfB = (await syncsOf(db, b.tenantId)).length;
    await aCompletesMore(db, 3);
    expect((await syncsOf(db, b.tenantId)).length).toBe(syncsOfB);
    const readable = await call<{ items: unknown[] }>(url, 'GET', '/api/pricebook/materials', {
      tenant: b.tenantId,
    });
    expect(readable.status).toBe(200);
    expect(readable.body.items.length).toBe(stB);
    const refused = await call(url, 'POST', '/api/sync/pricebook/incremental', {
      tenant: b.tenantId,
      body: {},
    });
    expect(refused.status).toBe(409);

    const purged = await call(url, 'POST', `/api/tenants/${b.tenantId}/purge`);
    expect(purged.status, JSON.stringify(purged.body)).toBe(200);
    expect(await materialsOf(db, b.tenantId)).toBe(0);
    expect((await syncsOf(db, b.tenantId)).length).toBe(0);
    expect((await call(url, 'GET', '/api/pricebook/materials', { tenant: b.tenantId })).status).toBe(404);
    // A's pricebook is untouched.
    expect(await materialsOf(db, tenantA)).toBe(stA);
  });
});
