import { until } from '@pricebook/testing/vitest';
import { describe, expect } from 'vitest';
import { api, rows, startFromFullSync, test } from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 40, seed: 41 } } });

// Invariant 4 for write-back: the applier is killed (SIGKILL) after ServiceTitan accepted a create
// and before the local row recorded its ST id; started again, it ends with exactly one item.
describe('a create interrupted by a crash is never duplicated in ServiceTitan', () => {
  startFromFullSync();

  test('kills the applier between ServiceTitan accepting the create and the st_id being recorded', async ({
    stack,
    sql: db,
  }) => {
    const created = await api<{ item: { id: string } }>(stack, 'POST', '/api/pricebook/materials', {
      code: 'CRASH-TEST-1',
      description: 'Created locally, pushed across a crash',
      price: 42,
    });
    expect(created.status).toBe(201);
    await stack.services.applier.restart({ FAULT_KILL_AFTER_ST_CREATE: 'true' });

    const started = await api<{ syncLogId: string }>(stack, 'POST', '/api/sync/pricebook/incremental', {
      direction: 'to_st',
      entityTypes: ['materials'],
    });
    expect(started.status).toBe(202);
    await until('the applier to die after the create', async () => !stack.services.applier.running(), 60_000);
    const inSt = async () =>
      (await stack.sandbox.control.items('materials')).filter((i) => i.code === 'CRASH-TEST-1');
    expect(await inSt()).toHaveLength(1);
    const [before] = await rows<{ st_id: string | null }>(
      db,
      'select st_id from pricebook_materials where id = $1',
      [created.body.item.id],
    );
    expect(before?.st_id).toBeNull();

    await stack.services.applier.restart({ FAULT_KILL_AFTER_ST_CREATE: 'false' });
    await until(
      'the sync to complete after the restart',
      async () =>
        (
          await rows<{ status: string }>(db, 'select status from pricebook_sync_log where id = $1', [
            started.body.syncLogId,
          ])
        )[0]?.status === 'completed',
      200_000,
    );

    const items = await inSt();
    expect(items).toHaveLength(1);
    const [after] = await rows<{ st_id: string; sync_status: string }>(
      db,
      'select st_id, sync_status from pricebook_materials where id = $1',
      [created.body.item.id],
    );
    expect(Number(after?.st_id)).toBe(items[0]?.id);
    expect(after?.sync_status).toBe('synced');
  }, 300_000);
});
