import {
  DATE_MAX,
  DATE_MIN,
  ST_DECIMAL_LIMIT,
  ST_DECIMAL_PRECISION,
  ST_DECIMAL_SCALE,
  StDecimal,
} from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { typedColumns } from './columns';
import { pricebookEntities } from './entities/index';
import { databaseForFile } from './test-support';

const t = databaseForFile();

type Row = Record<string, unknown> & { data: Record<string, unknown> };
const one = async (table: string, where = 'true') =>
  (await t.sql<Row>(`select * from ${table} where ${where}`))[0];

describe('typed columns and data', () => {
  it('are declared by every pricebook entity', () => {
    for (const [entity, columns] of Object.entries(typedColumns)) {
      const schema = pricebookEntities[entity as keyof typeof pricebookEntities];
      const meta = t.orm.getMetadata().get(schema.meta.className);
      const fields = Object.values(meta.properties).map((p) => p.fieldNames?.[0]);
      for (const c of columns) expect(fields, `${entity}.${c.column}`).toContain(c.column);
    }
  });

  it('data written by the engine fills every typed column', async () => {
    await t.sql(
      `insert into pricebook_materials (tenant_id, st_id, data) values (1, 10, ?::jsonb)`,
      // Written as text: a JS number cannot carry 9007199254740993 to the database.
      [
        `{"id": 10, "code": "M-10", "displayName": "Filter", "description": "<p>x</p>", "cost": 1.5, "price": 9.99,
          "memberPrice": 8, "addOnPrice": 7, "addOnMemberPrice": 6, "hours": 0.25, "active": true,
          "unitOfMeasure": "EA", "isInventory": false, "taxable": null, "categories": [3, 1, 2],
          "primaryVendor": {"id": 1, "vendorId": 9007199254740993, "vendorName": "V", "cost": 1, "active": true}}`,
      ],
    );
    const row = await one('pricebook_materials', 'st_id = 10');
    expect(row).toMatchObject({
      code: 'M-10',
      display_name: 'Filter',
      description: '<p>x</p>',
      cost: '1.5000',
      price: '9.9900',
      member_price: '8.0000',
      add_on_price: '7.0000',
      add_on_member_price: '6.0000',
      hours: '0.2500',
      active: true,
      unit_of_measure: 'EA',
      is_inventory: false,
      taxable: null,
      // Order is kept; ids above 2^53 survive because they never pass through a JS number.
      category_ids: ['3', '1', '2'],
      primary_vendor_id: '9007199254740993',
    });
  });

  it('a typed column written alone is copied into data', async () => {
    await t.sql(
      `update pricebook_materials set price = 10.5, category_ids = '{4}', taxable = true where st_id = 10`,
    );
    const row = await one('pricebook_materials', 'st_id = 10');
    expect(row?.data).toMatchObject({ price: 10.5, categories: [4], taxable: true, code: 'M-10' });
    await t.sql('update pricebook_materials set display_name = null where st_id = 10');
    expect((await one('pricebook_materials', 'st_id = 10'))?.data.displayName).toBeNull();
  });

  it('a data key written alone is copied into its column, a removed key clears it', async () => {
    await t.sql(
      `update pricebook_materials set data = (data || '{"code": "M-11"}') - 'unitOfMeasure' where st_id = 10`,
    );
    const row = await one('pricebook_materials', 'st_id = 10');
    expect(row).toMatchObject({ code: 'M-11', unit_of_measure: null });
    expect(row?.data).not.toHaveProperty('unitOfMeasure');
  });

  it('when both change and disagree, the typed column wins', async () => {
    await t.sql(
      `update pricebook_materials set price = 1, data = data || '{"price": 2, "cost": 3}' where st_id = 10`,
    );
    const row = await one('pricebook_materials', 'st_id = 10');
    expect(row).toMatchObject({ price: '1.0000', cost: '3.0000' });
    expect(row?.data).toMatchObject({ price: 1, cost: 3 });
  });

  it('a column that agrees with data leaves data exactly as written (no rounding)', async () => {
    await t.sql(
      `update pricebook_materials set price = 2.12346, data = data || '{"price": 2.123456}' where st_id = 10`,
    );
    const row = await one('pricebook_materials', 'st_id = 10');
    expect(row?.price).toBe('2.1235');
    expect(row?.data.price).toBe(2.123456);
  });

  it('a derived column cannot be set to something data does not say', async () => {
    await expect(
      t.sql('update pricebook_materials set primary_vendor_id = 5 where st_id = 10'),
    ).rejects.toThrow(/primary_vendor_id is derived from data.primaryVendor.vendorId/);
    await t.sql(`update pricebook_materials set data = data || '{"primaryVendor": null}' where st_id = 10`);
    expect((await one('pricebook_materials', 'st_id = 10'))?.primary_vendor_id).toBeNull();
  });

  it('an insert of typed columns only builds data', async () => {
    await t.sql(
      `insert into pricebook_categories (tenant_id, name, active, parent_id, position, category_type)
       values (1, 'Water heaters', true, 77, 3, 'Services')`,
    );
    const row = await one('pricebook_categories');
    expect(row?.data).toEqual({
      name: 'Water heaters',
      active: true,
      parentId: 77,
      position: 3,
      categoryType: 'Services',
    });
    expect(row).toMatchObject({ parent_id: '77', position: 3, description: null });
  });

  it('service categories keep the objects ST sent and add bare ids for new ones', async () => {
    await t.sql(
      `insert into pricebook_services (tenant_id, st_id, data)
       values (1, 20, '{"code": "S", "categories": [{"id": 5, "name": "A", "active": true}, {"id": 6, "name": "B", "active": false}]}')`,
    );
    expect((await one('pricebook_services'))?.category_ids).toEqual(['5', '6']);
    await t.sql(`update pricebook_services set category_ids = '{6,8}' where st_id = 20`);
    expect((await one('pricebook_services'))?.data.categories).toEqual([
      { id: 6, name: 'B', active: false },
      { id: 8 },
    ]);
  });

  it('equipment keeps manufacturer and model in step', async () => {
    await t.sql(
      `insert into pricebook_equipment (tenant_id, manufacturer, data) values (1, 'Carrier', '{"model": "X1"}')`,
    );
    const row = await one('pricebook_equipment');
    expect(row).toMatchObject({ manufacturer: 'Carrier', model: 'X1' });
    expect(row?.data).toEqual({ manufacturer: 'Carrier', model: 'X1' });
  });

  it('refuses data that is not an object and values of the wrong type', async () => {
    await expect(
      t.sql(`insert into pricebook_equipment (tenant_id, data) values (1, '[]')`),
    ).rejects.toThrow();
    await expect(
      t.sql(`insert into pricebook_equipment (tenant_id, data) values (1, '{"price": "cheap"}')`),
    ).rejects.toThrow(/invalid input syntax/);
  });
});

describe('the contracts limits are the database limits', () => {
  it('every numeric column has the precision and scale the contracts bound decimals by', async () => {
    const columns = await t.sql<{ table_name: string; column_name: string; p: number; s: number }>(
      `select table_name, column_name, numeric_precision as p, numeric_scale as s
         from information_schema.columns
        where table_schema = current_schema() and data_type = 'numeric' and table_name like 'pricebook_%'`,
    );
    const moneyColumns = Object.values(typedColumns)
      .flat()
      .filter((c) => c.kind === 'money');
    expect(columns.length).toBeGreaterThanOrEqual(new Set(moneyColumns.map((c) => c.column)).size);
    for (const c of columns) {
      expect([c.p, c.s], `${c.table_name}.${c.column_name}`).toEqual([
        ST_DECIMAL_PRECISION,
        ST_DECIMAL_SCALE,
      ]);
    }
  });

  it('stores the largest decimal the contracts accept and refuses the next one', async () => {
    const largest = StDecimal.parse('9999999999.9999');
    expect(StDecimal.safeParse(ST_DECIMAL_LIMIT).success).toBe(false);
    await t.sql(`insert into pricebook_materials (tenant_id, st_id, data) values (1, 30, ?::jsonb)`, [
      JSON.stringify({ price: largest, cost: -largest }),
    ]);
    expect(await one('pricebook_materials', 'st_id = 30')).toMatchObject({
      price: '9999999999.9999',
      cost: '-9999999999.9999',
    });
    await expect(
      t.sql(`insert into pricebook_materials (tenant_id, st_id, data) values (1, 31, ?::jsonb)`, [
        JSON.stringify({ price: ST_DECIMAL_LIMIT }),
      ]),
    ).rejects.toThrow(/numeric field overflow/);
  });

  it('stores the first and last instants the contracts accept, and refuses year 0', async () => {
    const [row] = await t.sql<{ lo: string; hi: string }>(
      `select (?::timestamptz at time zone 'UTC')::text as lo, (?::timestamptz at time zone 'UTC')::text as hi`,
      [DATE_MIN, DATE_MAX],
    );
    expect(row?.lo).toMatch(/^0001-01-01 00:00:00/);
    expect(row?.hi).toMatch(/^(9999-12-31 23:59:59|10000-01-01)/);
    await expect(t.sql(`select '0000-01-01T00:00:00Z'::timestamptz`)).rejects.toThrow(/out of range/);
  });

  it('refuses the NUL character in jsonb and text, as the contracts do', async () => {
    await expect(
      t.sql(`insert into pricebook_materials (tenant_id, data) values (1, ?::jsonb)`, [
        JSON.stringify({ description: 'a\u0000b' }),
      ]),
    ).rejects.toThrow();
    await expect(t.sql(`select ?::text`, ['a\u0000b'])).rejects.toThrow();
  });
});
