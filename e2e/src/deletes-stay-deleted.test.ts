import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import {
  api,
  counts,
  localRows,
  outboxDrained,
  recordEventCount,
  rows,
  startSyncedWorld,
  sync,
} from './test-support';

// A row deleted through the API is pushed to ServiceTitan as `active: false`. From then on ST shows
// the item inactive (in the export feed, in `active=Any` lists, by id): that is the user's
// delete, not news. Syncs with nothing new write nothing; only a later ST edit that re-activates
// the item brings the row back.
describe.each<{ push: string; env: Record<string, string>; inSt: Record<string, boolean> }>([
  { push: 'active: false', env: {}, inSt: { active: false } },
  { push: 'a hard DELETE', env: { ST_HARD_DELETE: 'true' }, inSt: { deleted: true } },
])('deletes stay deleted (pushed as $push)', ({ env, inSt }) => {
  // One world per case: the stack's env differs, so it cannot be the file's.
  const world = forFile(() => startSyncedWorld({ sandbox: { items: 40, seed: 23 }, env }), 180_000);
  const softDeletes = inSt.active === false;

  const rowOf = async (stId: number) =>
    (
      await rows<{ deleted: boolean; active: boolean; status: string; version: number }>(
        world.sql,
        `select deleted_at is not null as deleted, (data ->> 'active')::boolean as active,
                sync_status as status, version
           from pricebook_materials where st_id = $1`,
        [stId],
      )
    )[0];

  /** Past ServiceTitan's 15-minute export visibility lag, so the feed shows every write. */
  const pastExportLag = () => world.stack.sandbox.control.advanceClock(16 * 60_000);

  it('a pushed local delete stays deleted through an incremental and a full sync that write nothing', async () => {
    const [stId] = [...(await localRows(world.sql, 'materials')).keys()].sort((a, b) => a - b);
    if (stId === undefined) throw new Error('no materials');

    const deleted = await api(world.stack, 'DELETE', `/api/pricebook/materials/st:${stId}`);
    expect(deleted.status).toBe(204);
    const pushed = await sync(world.stack, 'incremental', {
      direction: 'bidirectional',
      entityTypes: ['materials'],
    });
    expect(pushed.status).toBe('completed');
    expect(await world.stack.sandbox.control.item('materials', stId)).toMatchObject(inSt);
    expect(await rowOf(stId)).toMatchObject({ deleted: true, status: 'synced' });

    await pastExportLag();
    await outboxDrained(world.sql);
    const before = await counts(world.sql);
    const eventsBefore = await recordEventCount(world.stack);

    const incremental = await sync(world.stack, 'incremental', { entityTypes: ['materials'] });
    expect(incremental).toMatchObject({ status: 'completed', stats: { created: 0, updated: 0, deleted: 0 } });
    const full = await sync(world.stack, 'full', { entityTypes: ['materials'] });
    expect(full).toMatchObject({ status: 'completed', stats: { created: 0, updated: 0, deleted: 0 } });
    const both = await sync(world.stack, 'incremental', {
      direction: 'bidirectional',
      entityTypes: ['materials'],
    });
    expect(both).toMatchObject({ status: 'completed', stats: { created: 0, updated: 0, deleted: 0 } });

    await outboxDrained(world.sql);
    expect(await counts(world.sql)).toEqual(before);
    expect(await recordEventCount(world.stack)).toBe(eventsBefore);
    expect(await rowOf(stId)).toMatchObject({ deleted: true, status: 'synced' });
  });

  // Only an item ServiceTitan still has can be re-activated.
  it.runIf(softDeletes)(
    'a later ServiceTitan edit that re-activates a locally deleted item brings the row back, once',
    async () => {
      const [, stId] = [...(await localRows(world.sql, 'materials')).keys()].sort((a, b) => a - b);
      if (stId === undefined) throw new Error('no materials');
      expect((await api(world.stack, 'DELETE', `/api/pricebook/materials/st:${stId}`)).status).toBe(204);
      expect(
        (await sync(world.stack, 'incremental', { direction: 'bidirectional', entityTypes: ['materials'] }))
          .status,
      ).toBe('completed');
      await pastExportLag();
      expect((await sync(world.stack, 'incremental', { entityTypes: ['materials'] })).status).toBe(
        'completed',
      );
      await outboxDrained(world.sql);
      const before = await counts(world.sql);
      const eventsBefore = await recordEventCount(world.stack);

      await world.stack.sandbox.control.editItem('materials', stId, { active: true, price: 77.25 });
      await pastExportLag();
      const result = await sync(world.stack, 'incremental', { entityTypes: ['materials'] });
      expect(result).toMatchObject({ status: 'completed', stats: { updated: 1 } });

      await outboxDrained(world.sql);
      expect(await rowOf(stId)).toMatchObject({ deleted: false, active: true, status: 'synced' });
      expect((await localRows(world.sql, 'materials')).get(stId)?.data.price).toBe(77.25);
      const after = await counts(world.sql);
      expect(after.changes - before.changes).toBe(1);
      expect(after.outbox - before.outbox).toBe(1);
      expect((await recordEventCount(world.stack)) - eventsBefore).toBe(1);
    },
  );
});
