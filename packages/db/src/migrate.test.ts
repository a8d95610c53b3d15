import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, pendingSchemaChanges } from './migrate';
import { migrationsList } from './migrations/index';
import { createOrm, migrationsPath, snapshotName } from './orm';

const pricebookTables = [
  'pricebook_categories',
  'pricebook_materials',
  'pricebook_services',
  'pricebook_equipment',
];
const otherTables = [
  'pricebook_sync_log',
  'pricebook_sync_runs',
  'pricebook_sync_conflicts',
  'pricebook_changes',
  'pricebook_outbox',
  'pricebook_sync_state',
  'pricebook_quarantine',
  'pricebook_dead_letters',
  'pricebook_st_rate_budget',
  'pricebook_revoked_sessions',
  'pricebook_session_cutoffs',
];

let db: TestDatabase;
const snapshotFile = join(migrationsPath, `${snapshotName}.json`);
let snapshotBefore: string;

beforeAll(async () => {
  db = await createTestDatabase('pb_db_migrate');
  snapshotBefore = await readFile(snapshotFile, 'utf8');
});
afterAll(() => db.drop());

async function query<T>(sql: string): Promise<T[]> {
  const orm = await createOrm(db.url, { poolMax: 1 });
  try {
    return await orm.em.fork().execute<T[]>(sql);
  } finally {
    await orm.close();
  }
}

describe('migrate', () => {
  it('builds the whole schema on an empty database, even when two replicas race', async () => {
    const [a, b] = await Promise.all([migrate(db.url), migrate(db.url)]);
    const applied = [...a.applied, ...b.applied].sort();
    expect(applied).toEqual(migrationsList.map((m) => m.name).sort());

    const tables = await query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([...pricebookTables, ...otherTables, 'pricebook_migrations']),
    );

    const extensions = await query<{ extname: string }>(`select extname from pg_extension`);
    expect(extensions.map((e) => e.extname)).toContain('vector');

    const indexes = await query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = 'public'`,
    );
    const byName = new Map(indexes.map((i) => [i.indexname, i.indexdef]));
    for (const table of pricebookTables) {
      expect(byName.get(`${table}_tenant_st_id_unique`)).toMatch(/UNIQUE.*\(tenant_id, st_id\)/);
      expect(byName.get(`${table}_tenant_pending_idx`)).toMatch(/WHERE \(sync_status <> 'synced'::text\)/);
      expect(byName.get(`${table}_tenant_st_modified_idx`)).toMatch(/\(tenant_id, st_modified_on\)/);
    }
    expect(byName.get('pricebook_materials_tenant_code_idx')).toMatch(/\(tenant_id, code\)/);
    expect(byName.get('pricebook_sync_conflicts_one_unresolved')).toMatch(/UNIQUE.*WHERE/);
    expect(byName.get('pricebook_outbox_unpublished_idx')).toMatch(/WHERE \(published_at IS NULL\)/);
    expect(byName.get('pricebook_sync_runs_pkey')).toMatch(/\(tenant_id, entity_type\)/);

    const triggers = await query<{ tgname: string }>(
      `select tgname from pg_trigger where not tgisinternal order by tgname`,
    );
    const names = triggers.map((t) => t.tgname);
    for (const table of pricebookTables) {
      for (const suffix of [
        'before_write',
        'capture_insert',
        'capture_update',
        'capture_delete',
        'refuse_truncate',
      ]) {
        expect(names).toContain(`${table}_${suffix}`);
      }
    }

    const embedding = await query<{ type: string }>(
      `select format_type(atttypid, atttypmod) as type from pg_attribute
        where attrelid = 'pricebook_materials'::regclass and attname = 'embedding'`,
    );
    expect(embedding[0]?.type).toBe('vector(1536)');
  });

  it('is a no-op the second time', async () => {
    expect(await migrate(db.url)).toEqual({ applied: [] });
    const rows = await query<{ count: string }>('select count(*)::text as count from pricebook_migrations');
    expect(rows[0]?.count).toBe(String(migrationsList.length));
  });

  it('has a committed snapshot that matches the entities (no migration missing)', async () => {
    expect(await pendingSchemaChanges(db.url)).toEqual([]);
  });

  it('leaves a migrated database exactly as the entities describe it', async () => {
    const orm = await createOrm(db.url, { poolMax: 1 });
    try {
      expect(await orm.schema.getUpdateSchemaSQL({ wrap: false })).toBe('');
    } finally {
      await orm.close();
    }
  });

  it('never rewrites the committed snapshot while migrating', async () => {
    expect(await readFile(snapshotFile, 'utf8')).toBe(snapshotBefore);
  });
});
