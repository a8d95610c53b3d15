import { consumers, type MessageDataInput, subjects } from '@pricebook/contracts';
import { publishAll } from '@pricebook/messaging';
import { describe, expect, it } from 'vitest';
import { tenant, useConsumerWorld } from '../../test-support';
import { createResolveHandler } from './handler';
import { type OpenedConflict, openConflict, resolveCommand } from './test-support';

const h = useConsumerWorld(consumers.resolver, (h) => createResolveHandler({ orm: h.orm }));

const settled = () => h.settled(consumers.resolver);
/** Publishes a resolve command for conflict `c` and waits until the resolver settled it. */
async function resolve(c: OpenedConflict, command: Omit<MessageDataInput<'resolve.command'>, 'conflictId'>) {
  await publishAll(h.js, [resolveCommand({ conflictId: c.conflictId, ...command })]);
  await settled();
}
const conflictRows = () =>
  h.sql<Record<string, unknown>>('select * from pricebook_sync_conflicts order by created_at, id');
const outbox = (type: string) =>
  h.sql<{ payload: Record<string, unknown>; correlation_id: string | null }>(
    'select payload, correlation_id from pricebook_outbox where event_type = ? order by seq',
    [type],
  );
const audit = () =>
  h.sql<{ origin: string; actor: string | null }>('select origin, actor from pricebook_changes');

describe('resolve commands from NATS', () => {
  it('keep_st writes ST version as data and base, synced, audited once as the resolver', async () => {
    const c = await openConflict(h);
    await resolve(c, { strategy: 'keep_st', resolvedBy: 'ana' });

    expect((await h.materialRows()).get(5)).toMatchObject({
      data: c.st,
      base: c.st,
      sync_status: 'synced',
      has_conflict: false,
    });
    expect(await conflictRows()).toEqual([
      expect.objectContaining({
        status: 'resolved',
        resolution: 'keep_st',
        resolved_by: 'ana',
        resolved_data: c.st,
      }),
    ]);
    expect(await audit()).toEqual([{ origin: 'resolution', actor: 'ana' }]);
    // A resolution is a change-set of its own, even when its conflict came from a sync.
    expect(
      await h.sql(
        'select s.kind, s.actor from pricebook_changes c join pricebook_changesets s on s.id = c.changeset_id',
      ),
    ).toEqual([{ kind: 'resolution', actor: 'ana' }]);
    const resolved = await outbox('record.resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.payload).toMatchObject({
      actor: 'ana',
      conflictId: c.conflictId,
      origin: 'resolution',
    });
    expect(await outbox('push.command')).toEqual([]);
  });

  it("names on the resolved event the resolution's change-set, the audit row's, which holds the write", async () => {
    const c = await openConflict(h);
    await resolve(c, { strategy: 'keep_st', resolvedBy: 'ana' });

    const [change] = await h.sql<{ changeset_id: string; record_id: string }>(
      'select changeset_id, record_id from pricebook_changes',
    );
    expect(change).toEqual({ changeset_id: expect.any(String), record_id: c.recordId });
    const resolved = await outbox('record.resolved');
    expect(resolved.map((e) => e.payload.changeSetId)).toEqual([change?.changeset_id]);
  });

  it('keep_local keeps the local side of the disputed fields and every ST change nobody disputed, with ST as base, pending, and queues a push of that row', async () => {
    const c = await openConflict(h);
    await resolve(c, { strategy: 'keep_local', resolvedBy: 'bo' });

    // price was disputed (local wins), code is the local side's own edit, cost is ST's own edit.
    const kept = { ...c.st, price: 42, code: 'LOCAL' };
    expect((await h.materialRows()).get(5)).toMatchObject({
      data: kept,
      base: c.st,
      sync_status: 'pending_sync',
      has_conflict: false,
    });
    expect(await conflictRows()).toEqual([
      expect.objectContaining({ status: 'resolved', resolution: 'keep_local', resolved_data: kept }),
    ]);
    // The row takes ST's cost, so the resolution is audited once, as the resolver.
    expect(await audit()).toEqual([{ origin: 'resolution', actor: 'bo' }]);
    expect(await outbox('record.resolved')).toHaveLength(1);
    const pushes = await outbox('push.command');
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.payload).toMatchObject({ recordIds: [c.recordId], entityTypes: ['materials'] });
    expect(await h.count(`select count(*) as n from pricebook_sync_log where sync_type = 'push'`)).toBe(1);
  });

  it('merge takes each disputed field from the chosen side and keeps undisputed local edits', async () => {
    const c = await openConflict(h);
    await resolve(c, { strategy: 'merge', fields: { price: 'local' }, resolvedBy: 'cy' });

    const merged = { ...c.st, price: 42, code: 'LOCAL' };
    expect((await h.materialRows()).get(5)).toMatchObject({
      data: merged,
      base: c.st,
      sync_status: 'pending_sync',
    });
    expect(await conflictRows()).toEqual([
      expect.objectContaining({ status: 'resolved', resolution: 'merge', resolved_data: merged }),
    ]);
    expect(await audit()).toEqual([{ origin: 'resolution', actor: 'cy' }]);
    expect(await outbox('push.command')).toHaveLength(1);
  });

  it('does nothing the second time the same command arrives', async () => {
    const c = await openConflict(h);
    const command = resolveCommand({ conflictId: c.conflictId, strategy: 'keep_st', resolvedBy: 'ana' });
    await publishAll(h.js, [command]);
    await settled();
    await h.redeliver(command, subjects.command(tenant, 'resolve'));
    await settled();

    expect(await audit()).toHaveLength(1);
    expect(await outbox('record.resolved')).toHaveLength(1);
    expect(await h.count('select count(*) as n from pricebook_dead_letters')).toBe(0);
  });

  it('re-evaluates a row edited again since the conflict: a new conflict, nothing overwritten', async () => {
    const c = await openConflict(h);
    await h.sql(`update pricebook_materials set data = jsonb_set(data, '{price}', '50') where st_id = 5`);
    await h.sql('delete from pricebook_changes');
    await resolve(c, { strategy: 'keep_st', resolvedBy: 'ana' });

    const row = (await h.materialRows()).get(5);
    expect(row).toMatchObject({
      data: { ...c.local, price: 50 },
      sync_status: 'conflict',
      has_conflict: true,
    });
    const conflicts = await conflictRows();
    expect(conflicts.map((x) => x.status).sort()).toEqual(['superseded', 'unresolved']);
    const fresh = conflicts.find((x) => x.status === 'unresolved');
    expect(fresh).toMatchObject({
      local_version: { ...c.local, price: 50 },
      field_diff: { price: { base: c.base.price, st: 20, local: 50 } },
    });
    expect(await audit()).toEqual([]);
    expect(await outbox('record.conflicted')).toHaveLength(1);
    // The reopened conflict changed no row, so it belongs to no change-set.
    expect((await outbox('record.conflicted'))[0]?.payload).not.toHaveProperty('changeSetId');
  });

  it('settles a conflict that dissolved (local now agrees with ST) with the three-way merge', async () => {
    const c = await openConflict(h);
    await h.sql(`update pricebook_materials set data = jsonb_set(data, '{price}', '20') where st_id = 5`);
    await h.sql('delete from pricebook_changes');
    await resolve(c, { strategy: 'keep_local', resolvedBy: 'ana' });

    const row = (await h.materialRows()).get(5);
    expect(row).toMatchObject({ data: { ...c.st, code: 'LOCAL' }, base: c.st, has_conflict: false });
    expect(row?.sync_status).toBe('pending_sync');
    expect((await conflictRows()).map((x) => x.status)).toEqual(['superseded']);
    expect(await audit()).toEqual([{ origin: 'merge', actor: 'ana' }]);
  });

  it('terminates a merge that misses a disputed field, with the reason, changing nothing', async () => {
    const c = await openConflict(h);
    await resolve(c, { strategy: 'merge', fields: { cost: 'st' }, resolvedBy: 'ana' });
    const [dead] = await h.sql<{ reason: string }>('select reason from pricebook_dead_letters');
    expect(dead?.reason).toContain('fields.price');
    expect((await conflictRows())[0]).toMatchObject({ status: 'unresolved' });
  });

  it.each([
    [
      'a value of the wrong type',
      { price: 'cheap' },
      'values.price (must be a decimal number such as 12.50)',
    ],
    [
      'a value past numeric(14,4)',
      { price: 1e11 },
      'values.price (must be greater than -10000000000 and less than 10000000000)',
    ],
    [
      'a read-only field',
      { price: 30, modifiedOn: '2026-01-01T00:00:00Z' },
      'values.modifiedOn (read-only field)',
    ],
  ])(
    'terminates a merge with %s once, with the reason, before planning anything',
    async (_what, values, reason) => {
      const c = await openConflict(h);
      const before = (await h.materialRows()).get(5);
      await resolve(c, { strategy: 'merge', values, resolvedBy: 'ana' });
      const dead = await h.sql<{ reason: string; delivery_count: number }>(
        'select reason, delivery_count from pricebook_dead_letters',
      );
      expect(dead).toEqual([{ reason: expect.stringContaining(reason), delivery_count: 1 }]);
      expect(dead[0]?.reason).toMatch(/^rejected: bad_message: merge values are not valid/);
      expect((await conflictRows())[0]).toMatchObject({ status: 'unresolved', resolution: null });
      expect((await h.materialRows()).get(5)).toEqual(before);
      expect(await audit()).toEqual([]);
      expect(await outbox('record.resolved')).toEqual([]);
    },
  );

  it('applies merge values given as decimal text as the numbers they are', async () => {
    const c = await openConflict(h);
    await resolve(c, { strategy: 'merge', values: { price: '44.10' }, resolvedBy: 'ana' });
    expect((await h.materialRows()).get(5)?.data).toMatchObject({ price: 44.1 });
    expect((await conflictRows())[0]).toMatchObject({ status: 'resolved', resolution: 'merge' });
  });
});
