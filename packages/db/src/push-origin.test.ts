import { beforeEach, describe, expect, it } from 'vitest';
import { databaseForFile, seedSyncedMaterial } from './test-support';

let id: string;

const stRecord = {
  id: 7001,
  code: 'PX-1',
  description: 'valve',
  price: 20,
  active: true,
  modifiedOn: '2025-01-02T03:04:05.1234567Z',
};

const t = databaseForFile();

beforeEach(async () => {
  id = await seedSyncedMaterial(t, stRecord);
  // The local edit being pushed: one audit row and one event, as every local edit.
  await t.sql('update pricebook_materials set price = 25 where id = ?', [id]);
});

const counts = async () => {
  const [c] = await t.sql<{ changes: string; outbox: string }>(
    `select (select count(*) from pricebook_changes) as changes, (select count(*) from pricebook_outbox) as outbox`,
  );
  return { changes: Number(c?.changes), outbox: Number(c?.outbox) };
};

describe("the origin 'push' (ST's echo of a pushed local edit)", () => {
  it('records the echo with no second audit row or event, and leaves the row synced', async () => {
    expect(await counts()).toEqual({ changes: 1, outbox: 1 });
    const echo = { ...stRecord, price: 25, modifiedOn: '2025-01-03T00:00:00.0000001Z' };
    await t.tx(
      (em) =>
        em.execute(
          `update pricebook_materials set data = ?::jsonb, base = ?::jsonb, sync_status = 'synced' where id = ?`,
          [JSON.stringify(echo), JSON.stringify(echo), id],
        ),
      { origin: 'push' },
    );
    const [row] = await t.sql<{ sync_status: string; price: string; data: Record<string, unknown> }>(
      'select sync_status, price::text as price, data from pricebook_materials where id = ?',
      [id],
    );
    expect(row).toMatchObject({ sync_status: 'synced', price: '25.0000' });
    expect(row?.data.modifiedOn).toBe(echo.modifiedOn);
    expect(await counts()).toEqual({ changes: 1, outbox: 1 });
  });

  it('keeps typed columns in step and never marks the row pending', async () => {
    await t.tx(
      (em) => em.execute(`update pricebook_materials set sync_status = 'synced' where id = ?`, [id]),
      {
        origin: 'push',
      },
    );
    await t.tx((em) => em.execute('update pricebook_materials set price = 30 where id = ?', [id]), {
      origin: 'push',
    });
    const [row] = await t.sql<{ sync_status: string; data: Record<string, unknown> }>(
      'select sync_status, data from pricebook_materials where id = ?',
      [id],
    );
    expect(row?.sync_status).toBe('synced');
    expect(row?.data.price).toBe(30);
  });

  it('does not silence the other origins: a later local edit is announced as before', async () => {
    await t.tx(
      (em) => em.execute(`update pricebook_materials set sync_status = 'synced' where id = ?`, [id]),
      {
        origin: 'push',
      },
    );
    await t.sql('update pricebook_materials set price = 31 where id = ?', [id]);
    expect(await counts()).toEqual({ changes: 2, outbox: 2 });
  });

  it('is still refused when unknown origins are used', async () => {
    await expect(
      t.tx(async (em) => {
        await em.execute(`select set_config('pricebook.origin', 'pushed', true)`);
        await em.execute('update pricebook_materials set price = 1');
      }),
    ).rejects.toThrow(/pricebook.origin must be/);
  });
});
