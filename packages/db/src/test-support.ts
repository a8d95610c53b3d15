import type { EntityManager } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { migrate } from './migrate';
import { createOrm, type Orm } from './orm';
import { type AuditChange, auditChangeJson, recordEventData } from './record-event';
import type { WriteContext } from './write-context';
import { setWriteContext } from './write-context';

/** A migrated database of its own for one test file (test support, not exported). */
export interface MigratedDatabase {
  db: TestDatabase;
  orm: Orm;
  /** Runs one statement outside any transaction, exactly as psql or another tool would. */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction, optionally marked with a write context. */
  tx<T>(work: (em: EntityManager) => Promise<T>, ctx?: WriteContext): Promise<T>;
  close(): Promise<void>;
}

export async function migratedDatabase(): Promise<MigratedDatabase> {
  const db = await createTestDatabase('pb_db');
  await migrate(db.url);
  const orm = await createOrm(db.url, { poolMax: 4 });
  return {
    db,
    orm,
    sql: async <T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params),
    tx: (work, ctx) =>
      orm.em.fork().transactional(async (em) => {
        if (ctx) await setWriteContext(em, ctx);
        return work(em);
      }),
    async close() {
      await orm.close();
      await db.drop();
    },
  };
}

/** A migrated database for the whole file: created before its first test, dropped after its last. */
export function databaseForFile(): MigratedDatabase {
  return forFile(migratedDatabase);
}

/** The ST record of the material the row tests seed (`seedSyncedMaterial`). */
export const copperPipe = {
  id: 5001,
  code: 'CU-12',
  displayName: 'Copper 1/2"',
  description: 'pipe',
  price: 12.5,
  cost: 7.25,
  active: true,
  categories: [11, 12],
  modifiedOn: '2025-01-02T03:04:05.1234567Z',
};

/**
 * One material row as a full sync leaves it (synced, its base the ST record, written as the
 * engine's own write), alone in its table, with the audit and outbox tables emptied; its id.
 */
export async function seedSyncedMaterial(
  t: MigratedDatabase,
  stRecord: { id: number } & Record<string, unknown>,
  tenantId = '42',
): Promise<string> {
  await t.sql('delete from pricebook_materials');
  const rows = await t.tx(
    (em) =>
      em.execute<{ id: string }[]>(
        `insert into pricebook_materials (tenant_id, st_id, data, base, sync_status, last_synced_at)
         values (?, ?, ?::jsonb, ?::jsonb, 'synced', now()) returning id`,
        [tenantId, stRecord.id, JSON.stringify(stRecord), JSON.stringify(stRecord)],
      ),
    { origin: 'st' },
  );
  await t.sql('delete from pricebook_changes');
  await t.sql('delete from pricebook_outbox');
  return rows[0]?.id ?? '';
}

export interface ChangeRow {
  operation: string;
  origin: string;
  changed_fields: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  sync_log_id: string | null;
  actor: string | null;
  record_id: string;
}

/** The audit rows (`pricebook_changes`); `tail` orders and limits them. */
export function auditRows(t: MigratedDatabase, tail = 'order by seq'): Promise<ChangeRow[]> {
  return t.sql<ChangeRow>(`select * from pricebook_changes ${tail}`);
}

export interface OutboxRow {
  subject: string;
  event_type: string;
  payload: Record<string, unknown>;
  correlation_id: string | null;
}

/**
 * Outbox rows with the data the relay publishes for each: a `record.*` row's data is built from
 * its audit row (`recordEventData`), any other row's is its payload. `tail` orders and limits `o`.
 */
export async function outboxEvents(t: MigratedDatabase, tail = 'order by o.seq'): Promise<OutboxRow[]> {
  const rows = await t.sql<OutboxRow & { change: AuditChange | null }>(
    `select o.subject, o.event_type, o.payload, o.correlation_id,
            ${auditChangeJson('c')} as change
       from pricebook_outbox o left join pricebook_changes c on c.id = o.change_id
     ${tail}`,
  );
  return rows.map(({ change, ...row }) => ({
    ...row,
    payload: change ? recordEventData(change) : row.payload,
  }));
}
