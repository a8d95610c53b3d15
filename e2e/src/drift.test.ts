import { forFile, until } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { api, localRows, rows, startSyncedWorld } from './test-support';

interface DriftItem {
  entity: string;
  stId: number;
  kind: string;
  fields: string[];
}

interface DriftBody {
  report: {
    id: string;
    status: string;
    driftedCount: number;
    stRequests: number;
    entities: Array<{ entity: string; st: number; local: number; pending: number; drifted: number }>;
    items: DriftItem[];
  } | null;
  drift: { state: string; items: number; checkedAt: string | null };
}

// "Are we in sync?" without running a sync: a drift check reads ServiceTitan's export feeds and
// compares them with the local copy, writing nothing but its report.
describe('drift report', () => {
  const world = forFile(() => startSyncedWorld({ sandbox: { items: 40, seed: 41 } }), 180_000);

  /** Queues a check through the API and waits for its report. */
  async function check(): Promise<NonNullable<DriftBody['report']>> {
    const queued = await api<{ reportId: string }>(world.stack, 'POST', '/api/drift/check');
    expect(queued.status).toBe(202);
    return until('the drift report', async () => {
      const { body } = await api<DriftBody>(world.stack, 'GET', '/api/drift');
      return body.report?.id === queued.body.reportId ? body.report : undefined;
    });
  }

  const status = async () =>
    (await api<{ drift: DriftBody['drift'] }>(world.stack, 'GET', '/api/sync/pricebook/status')).body.drift;

  const changeCount = async () =>
    Number((await rows<{ n: string }>(world.sql, 'select count(*) as n from pricebook_changes'))[0]?.n ?? 0);

  it('says in_sync after a full sync, and writes nothing to the pricebook', async () => {
    expect(await status()).toMatchObject({ state: 'unknown', items: 0, checkedAt: null });
    const before = await changeCount();
    const report = await check();
    expect(report).toMatchObject({ status: 'in_sync', driftedCount: 0, items: [] });
    expect(report.stRequests).toBeGreaterThan(0);
    const materials = report.entities.find((e) => e.entity === 'materials');
    expect(materials?.st).toBeGreaterThan(0);
    expect(materials?.st).toBe(materials?.local);
    expect(await changeCount()).toBe(before);
    expect(await status()).toMatchObject({ state: 'in_sync', items: 0 });
  });

  it('reports drifted with the items edited, added and deleted behind its back; a re-sync of them makes it in_sync', async () => {
    const ids = [...(await localRows(world.sql, 'materials')).keys()].sort((a, b) => a - b);
    const [edited, deleted] = ids;
    if (edited === undefined || deleted === undefined) throw new Error('too few materials');
    const price = Number((await world.stack.sandbox.control.item('materials', edited)).price ?? 0) + 13.5;
    await world.stack.sandbox.control.editItem('materials', edited, { price });
    await world.stack.sandbox.control.deleteItem('materials', deleted);
    const added = await world.stack.sandbox.control.createItem('materials');

    const report = await check();
    expect(report.status).toBe('drifted');
    expect(report.items).toEqual(
      expect.arrayContaining([
        { entity: 'materials', stId: edited, kind: 'differs', fields: ['price'] },
        { entity: 'materials', stId: deleted, kind: 'missing_in_st', fields: [] },
        { entity: 'materials', stId: added.id, kind: 'missing_locally', fields: [] },
      ]),
    );
    expect(report.driftedCount).toBe(3);
    expect(report.entities.find((e) => e.entity === 'materials')).toMatchObject({ drifted: 3 });
    expect(await status()).toMatchObject({ state: 'drifted', items: 3 });
    const metrics = await (await fetch(`${world.stack.api.url}/metrics`)).text();
    expect(metrics).toMatch(/pricebook_drift_items\{tenant="\d+",entity="materials",service="api"\} 3/);
    expect(metrics).toMatch(/pricebook_drift_checked_timestamp_seconds\{tenant="\d+",service="api"\} \d+/);

    const resync = await api<{ syncLogId: string; items: number }>(world.stack, 'POST', '/api/drift/resync');
    expect(resync.status).toBe(202);
    expect(resync.body.items).toBe(3);
    const finished = await until('the re-sync', async () => {
      const { body } = await api<{ log: { status: string; stats: Record<string, number> } }>(
        world.stack,
        'GET',
        `/api/sync/pricebook/logs/${resync.body.syncLogId}`,
      );
      return ['completed', 'failed'].includes(body.log.status) ? body.log : undefined;
    });
    expect(finished).toMatchObject({ status: 'completed', stats: { created: 1, updated: 1, deleted: 1 } });
    const local = await localRows(world.sql, 'materials');
    expect(local.get(edited)?.data.price).toBe(price);
    expect(local.has(added.id)).toBe(true);
    const [gone] = await rows<{ deleted: boolean }>(
      world.sql,
      'select deleted_at is not null as deleted from pricebook_materials where st_id = $1',
      [deleted],
    );
    expect(gone).toEqual({ deleted: true });

    expect(await check()).toMatchObject({ status: 'in_sync', driftedCount: 0 });
    expect(await status()).toMatchObject({ state: 'in_sync', items: 0 });
  });

  it('does not report a local edit waiting to be pushed as drift, but counts it as pending', async () => {
    const [, , stId] = [...(await localRows(world.sql, 'materials')).keys()].sort((a, b) => a - b);
    if (stId === undefined) throw new Error('too few materials');
    const edit = await api(world.stack, 'PATCH', `/api/pricebook/materials/st:${stId}`, { price: 999.5 });
    expect(edit.status).toBe(200);
    const report = await check();
    expect(report).toMatchObject({ status: 'in_sync', driftedCount: 0 });
    expect(report.entities.find((e) => e.entity === 'materials')).toMatchObject({ pending: 1 });
  });

  it('is stale once the latest report is older than DRIFT_STALE_AFTER_MS', async () => {
    await check();
    await world.sql.query(
      `update pricebook_drift_reports set checked_at = now() - interval '3 days' where status in ('in_sync', 'drifted')`,
    );
    const drift = await status();
    expect(drift.state).toBe('stale');
    expect(Date.parse(drift.checkedAt ?? '')).toBeLessThan(Date.now() - 2 * 86_400_000);
  });
});
