import { freePort, type ServiceProcess, startService } from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness, keys, startHarness } from '../test-support';
import { seedConflict } from '../test-support/conflicts';

// The resolution is the applier's work: it runs here as its own process, as in production.
let h: Harness;
let applier: ServiceProcess;
const tenant = '1001';

beforeAll(async () => {
  h = await startHarness({ nats: true });
  const natsUrl = h.nats?.server.url ?? '';
  applier = await startService({
    name: 'applier',
    env: {
      DATABASE_URL: h.db.url,
      NATS_URL: natsUrl,
      ST_TENANT_ID: tenant,
      HEALTH_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    },
    readyLine: /applier started/,
  });
}, 120_000);
afterAll(async () => {
  await applier?.stop();
  await h?.close();
});

type Result = {
  success: boolean;
  status: string;
  conflict: { status: string; resolution: string; resolvedBy: string; resolvedAt: string | null };
};

const resolve = (id: string, body: unknown) =>
  call<Result>(h.app({ tenantId: tenant }), 'POST', `/api/sync/pricebook/resolve-conflict/${id}`, {
    key: keys.operator,
    body,
  });
const row = async (stId: number) =>
  (
    await h.sql<{ data: Record<string, unknown>; sync_status: string; has_conflict: boolean }>(
      'select data, sync_status, has_conflict from pricebook_materials where tenant_id = ? and st_id = ?',
      [tenant, stId],
    )
  )[0];
const audit = (recordId: string) =>
  h.sql<{ origin: string; actor: string }>(
    'select origin, actor from pricebook_changes where record_id = ?',
    [recordId],
  );
const resolvedEvents = async (conflictId: string) =>
  h.sql('select id from pricebook_outbox where event_type = ? and payload ->> ? = ?', [
    'record.resolved',
    'conflictId',
    conflictId,
  ]);

describe('POST /api/sync/pricebook/resolve-conflict/{id}', () => {
  it('keep_st: the row becomes ST, synced, one audit row by the resolver, one resolved event', async () => {
    const c = await seedConflict(h, tenant, 1);
    await h.sql('delete from pricebook_changes');
    const res = await resolve(c.conflictId, { strategy: 'keep_st', resolvedBy: 'ana@example.com' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      status: 'resolved',
      conflict: { status: 'resolved', resolution: 'keep_st', resolvedBy: 'ana@example.com' },
    });
    expect(res.body.conflict.resolvedAt).not.toBeNull();
    expect(await row(1)).toEqual({ data: c.st, sync_status: 'synced', has_conflict: false });
    expect(await audit(c.recordId)).toEqual([{ origin: 'resolution', actor: 'ana@example.com' }]);
    expect(await resolvedEvents(c.conflictId)).toHaveLength(1);

    const again = await resolve(c.conflictId, { strategy: 'keep_local', resolvedBy: 'bo' });
    expect(again.status).toBe(409);
  });

  it('keep_local: the row keeps its local data and waits to be pushed', async () => {
    const c = await seedConflict(h, tenant, 2);
    await h.sql('delete from pricebook_changes');
    const res = await resolve(c.conflictId, { strategy: 'keep_local', resolvedBy: 'bo' });
    expect(res.status).toBe(200);
    expect(res.body.conflict).toMatchObject({ status: 'resolved', resolution: 'keep_local' });
    expect(await row(2)).toEqual({ data: c.local, sync_status: 'pending_sync', has_conflict: false });
    expect(await audit(c.recordId)).toEqual([]);
    expect(await resolvedEvents(c.conflictId)).toHaveLength(1);
    const pushes = await h.sql<{ payload: { recordIds: string[] } }>(
      `select payload from pricebook_outbox where event_type = 'push.command'`,
    );
    expect(pushes.map((p) => p.payload.recordIds)).toContainEqual([c.recordId]);
  });

  it('merge: each disputed field from the chosen side, undisputed local edits kept', async () => {
    const c = await seedConflict(h, tenant, 3);
    await h.sql('delete from pricebook_changes');
    const res = await resolve(c.conflictId, {
      strategy: 'merge',
      resolvedBy: 'cy',
      fields: { price: 'st' },
      values: { active: false },
    });
    expect(res.status).toBe(200);
    expect(await row(3)).toEqual({
      data: { ...c.st, code: c.local.code, active: false },
      sync_status: 'pending_sync',
      has_conflict: false,
    });
    expect(await audit(c.recordId)).toEqual([{ origin: 'resolution', actor: 'cy' }]);
    expect(await resolvedEvents(c.conflictId)).toHaveLength(1);
  });
});
