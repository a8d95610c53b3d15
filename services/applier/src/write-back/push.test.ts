import { normalizeStTimestamp, stContentHash } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { count } from '../test-support';
import { PATCH, POST, usePushWorld } from './test-support';

const w = usePushWorld({ items: 12, known: 6 });

const changes = (recordId: string) =>
  count(w.h, 'select count(*) as n from pricebook_changes where record_id = ?', [recordId]);
const outbox = () =>
  count(w.h, `select count(*) as n from pricebook_outbox where event_type like 'record.%'`);

const crash = new Error('simulated crash after the create');
/** Dies right after ServiceTitan took a create, before the row records its ST id. */
const crashAfterCreate = {
  afterCreate: async () => {
    throw crash;
  },
};

describe('a local update', () => {
  it('PATCHes only the changed fields, leaves the row synced with one audit row and no extra event', async () => {
    const id = await w.idOf('materials', w.stId(0));
    await w.h.sql('update pricebook_materials set price = 123.45 where id = ?', [id]);
    expect(await outbox()).toBe(1);
    const sync = await w.createSync();
    expect(await w.push(sync)).toBe('completed');

    expect((await w.requests())[PATCH]).toBe(1);
    const item = await w.sb.control.item('materials', w.stId(0));
    expect(item.price).toBe(123.45);
    const row = await w.rowOf('materials', id);
    expect(row.sync_status).toBe('synced');
    expect(row.data.modifiedOn).toBe(normalizeStTimestamp(item.modifiedOn));
    expect(row.base).toEqual(row.data);
    expect(row.content_hash).toBe(stContentHash('materials', row.data));
    expect(await changes(id)).toBe(1);
    expect(await outbox()).toBe(1);
    const [log] = await w.h.sql<{ status: string; entity_stats: Record<string, Record<string, number>> }>(
      'select status, entity_stats from pricebook_sync_log where id = ?',
      [sync],
    );
    expect(log?.status).toBe('completed');
    expect(log?.entity_stats.materials?.pushUpdated).toBe(1);
  });

  it('merges disjoint edits: ST keeps its change, the local change goes on top', async () => {
    const id = await w.idOf('materials', w.stId(1));
    await w.sb.control.editItem('materials', w.stId(1), { displayName: 'renamed in ST' });
    await w.h.sql('update pricebook_materials set price = 77 where id = ?', [id]);
    await w.push(await w.createSync());
    const item = await w.sb.control.item('materials', w.stId(1));
    expect(item).toMatchObject({ displayName: 'renamed in ST', price: 77 });
    const row = await w.rowOf('materials', id);
    expect(row.data).toMatchObject({ displayName: 'renamed in ST', price: 77 });
    expect(row.sync_status).toBe('synced');
    const origins = await w.h.sql<{ origin: string }>(
      'select origin from pricebook_changes where record_id = ? order by seq',
      [id],
    );
    expect(origins.map((o) => o.origin)).toEqual(['local', 'merge']);
  });

  it('opens a conflict when ST changed the same field', async () => {
    const id = await w.idOf('materials', w.stId(2));
    await w.sb.control.editItem('materials', w.stId(2), { price: 50 });
    await w.h.sql('update pricebook_materials set price = 60 where id = ?', [id]);
    const sync = await w.createSync();
    await w.push(sync);
    expect((await w.sb.control.item('materials', w.stId(2))).price).toBe(50);
    const row = await w.rowOf('materials', id);
    expect(row).toMatchObject({ sync_status: 'conflict', has_conflict: true });
    expect(row.data.price).toBe(60);
    const conflicts = await w.h.sql<{ conflict_type: string; field_diff: Record<string, unknown> }>(
      `select conflict_type, field_diff from pricebook_sync_conflicts where record_id = ? and status = 'unresolved'`,
      [id],
    );
    expect(conflicts).toMatchObject([
      { conflict_type: 'both_modified', field_diff: { price: { st: 50, local: 60 } } },
    ]);
    expect(
      await count(w.h, `select count(*) as n from pricebook_outbox where event_type = 'record.conflicted'`),
    ).toBe(1);
    expect((await w.requests())[PATCH]).toBeUndefined();
  });
});

describe('a local create', () => {
  it('creates the item tagged with our externalData and records its ST id', async () => {
    await w.h.sql(
      `insert into pricebook_materials (tenant_id, code, description, price) values ('1001', 'NEW-1', 'new valve', 9.5)`,
    );
    const [{ id } = { id: '' }] = await w.h.sql<{ id: string }>(
      `select id from pricebook_materials where code = 'NEW-1'`,
    );
    await w.push(await w.createSync());
    const row = await w.rowOf('materials', id);
    expect(row.st_id).not.toBeNull();
    expect(row.sync_status).toBe('synced');
    const found = await w.taggedWith(id);
    expect(found.records.map((r) => r.id)).toEqual([Number(row.st_id)]);
    expect(row.data.externalData ?? null).toBeNull();
  });

  it('survives a crash between ST accepting it and the row recording its ST id', async () => {
    await w.h.sql(
      `insert into pricebook_materials (tenant_id, code, description, price) values ('1001', 'CRASH-1', 'x', 1)`,
    );
    const [{ id } = { id: '' }] = await w.h.sql<{ id: string }>(
      `select id from pricebook_materials where code = 'CRASH-1'`,
    );
    const sync = await w.createSync();
    await expect(w.push(sync, {}, crashAfterCreate)).rejects.toBe(crash);
    expect((await w.rowOf('materials', id)).st_id).toBeNull();
    // The restarted applier gets the command again.
    expect(await w.push(sync)).toBe('completed');
    const found = await w.taggedWith(id);
    expect(found.records).toHaveLength(1);
    expect((await w.rowOf('materials', id)).st_id).toBe(String(found.records[0]?.id));
    expect((await w.requests())[POST]).toBe(1);
  });

  it('finds an earlier category create by its descriptor match, having no externalData to look by', async () => {
    await w.h.sql(
      `insert into pricebook_categories (tenant_id, name, category_type, active) values ('1001', 'CRASH-CAT', 'Materials', true)`,
    );
    const [{ id } = { id: '' }] = await w.h.sql<{ id: string }>(
      `select id from pricebook_categories where name = 'CRASH-CAT'`,
    );
    const only = { entityTypes: ['categories' as const] };
    const sync = await w.createSync(only);
    await expect(w.push(sync, only, crashAfterCreate)).rejects.toBe(crash);
    expect((await w.rowOf('categories', id)).st_id).toBeNull();
    expect(await w.push(sync, only)).toBe('completed');
    const made = (await w.sb.control.items('categories')).filter((c) => c.name === 'CRASH-CAT');
    expect(made).toHaveLength(1);
    expect((await w.rowOf('categories', id)).st_id).toBe(String(made[0]?.id));
    expect((await w.requests())['POST /pricebook/v2/tenant/:tenant/categories']).toBe(1);
  });

  it('reads back an ambiguous create instead of repeating it', async () => {
    await w.h.sql(
      `insert into pricebook_materials (tenant_id, code, description, price) values ('1001', 'AMB-1', 'x', 1)`,
    );
    const [{ id } = { id: '' }] = await w.h.sql<{ id: string }>(
      `select id from pricebook_materials where code = 'AMB-1'`,
    );
    await w.sb.control.setFaults({ script: ['truncate'], pathPattern: '/materials$' });
    await w.push(await w.createSync());
    const found = await w.taggedWith(id);
    expect(found.records).toHaveLength(1);
    expect((await w.rowOf('materials', id)).st_id).toBe(String(found.records[0]?.id));
  });
});

describe('a local delete, a rejected edit and a dry run', () => {
  it('deactivates the item in ST', async () => {
    const id = await w.idOf('materials', w.stId(3));
    await w.h.sql('update pricebook_materials set deleted_at = now() where id = ?', [id]);
    await w.push(await w.createSync());
    expect((await w.sb.control.item('materials', w.stId(3))).active).toBe(false);
    expect((await w.rowOf('materials', id)).sync_status).toBe('synced');
    expect(await changes(id)).toBe(1);
  });

  it('keeps a row ST rejects pending with the reason, and pushes the others', async () => {
    const bad = await w.idOf('materials', w.stId(4));
    const good = await w.idOf('materials', w.stId(5));
    await w.h.sql(`update pricebook_materials set category_ids = '{987654321}' where id = ?`, [bad]);
    await w.h.sql('update pricebook_materials set price = 15 where id = ?', [good]);
    const sync = await w.createSync();
    await w.push(sync);
    expect((await w.rowOf('materials', bad)).sync_status).toBe('pending_sync');
    expect((await w.rowOf('materials', good)).sync_status).toBe('synced');
    const [item] = await w.h.sql<{ detail: { error: string } }>(
      `select detail from pricebook_sync_items where sync_log_id = ? and record_id = ?`,
      [sync, bad],
    );
    expect(item?.detail.error).toMatch(/rejected/i);
    const [log] = await w.h.sql<{ errors: number }>('select errors from pricebook_sync_log where id = ?', [
      sync,
    ]);
    expect(log?.errors).toBe(1);
  });

  it('dry run sends nothing and plans the exact request', async () => {
    const id = await w.idOf('materials', w.stId(0));
    await w.h.sql('update pricebook_materials set price = 321 where id = ?', [id]);
    const sync = await w.createSync({ dryRun: true });
    await w.push(sync, { dryRun: true });
    const stats = await w.requests();
    expect(Object.keys(stats).filter((k) => !k.startsWith('GET'))).toEqual([]);
    const [item] = await w.h.sql<{ detail: Record<string, unknown> }>(
      'select detail from pricebook_sync_items where sync_log_id = ? and record_id = ?',
      [sync, id],
    );
    expect(item?.detail).toEqual({
      push: true,
      request: { method: 'PATCH', path: `/materials/${w.stId(0)}`, body: { price: 321 } },
    });
    expect((await w.rowOf('materials', id)).sync_status).toBe('pending_sync');
  });
});
