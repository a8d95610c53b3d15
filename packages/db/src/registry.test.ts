import { entityRegistry, entityTypes, type TypedColumnKind } from '@pricebook/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typedColumns } from './columns';
import { pricebookEntities } from './entities/index';
import { type MigratedDatabase, migratedDatabase } from './test-support';

let t: MigratedDatabase;
beforeAll(async () => {
  t = await migratedDatabase();
});
afterAll(() => t.close());

/** The SQL type (`information_schema`'s `udt_name`) each column kind is stored as. */
const sqlType: Record<TypedColumnKind, string> = {
  text: 'text',
  boolean: 'bool',
  integer: 'int4',
  bigint: 'int8',
  money: 'numeric',
  ids: '_int8',
  idObjects: '_int8',
};

describe('the entity registry against the migrated database', () => {
  it('names the typed columns the triggers maintain, field for field', () => {
    for (const entity of entityTypes) {
      expect(entityRegistry[entity].columns, entity).toEqual(typedColumns[entity]);
    }
    expect(Object.keys(typedColumns).sort()).toEqual([...entityTypes].sort());
  });

  it.each(entityTypes)('%s: every column the registry names is a real column of its type', async (entity) => {
    const d = entityRegistry[entity];
    const rows = await t.sql<{ column_name: string; udt_name: string }>(
      `select column_name, udt_name from information_schema.columns
        where table_schema = current_schema() and table_name = ?`,
      [d.table],
    );
    const actual = new Map(rows.map((r) => [r.column_name, r.udt_name]));
    expect(actual.size, `${d.table} exists`).toBeGreaterThan(0);
    for (const c of d.columns) expect(actual.get(c.column), `${d.table}.${c.column}`).toBe(sqlType[c.kind]);
    for (const c of d.searchColumns) expect(actual.get(c), `${d.table}.${c} (search)`).toBe('text');
    expect(actual.get(d.categoryFilter.column)).toBe(d.categoryFilter.many ? '_int8' : 'int8');
    for (const column of ['active', 'sync_status', 'has_conflict', 'updated_at', 'st_id']) {
      expect(actual.has(column), `${d.table}.${column}`).toBe(true);
    }
  });

  it('keys each ORM entity by the table its descriptor names', () => {
    for (const entity of entityTypes) {
      const schema = pricebookEntities[entity];
      expect(schema.meta.tableName).toBe(entityRegistry[entity].table);
      const meta = t.orm.getMetadata().get(schema.meta.className);
      const fields = Object.values(meta.properties).map((p) => p.fieldNames?.[0]);
      for (const c of entityRegistry[entity].columns)
        expect(fields, `${entity}.${c.column}`).toContain(c.column);
    }
  });
});
